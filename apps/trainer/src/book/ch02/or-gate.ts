/** `ch02/or_gate.py` (section 2.3.3): OR, the AND perceptron with a smaller bias. */
import { stepFunction, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { printTruthTable } from './and-gate.js';

export function OR(x1: number, x2: number): number {
  const x = tensor([x1, x2]);
  const w = tensor([0.5, 0.5]);
  const b = -0.2;
  return stepFunction(x.mul(w).sum().add(b)).item();
}

export function run(ctx: BookContext): void {
  printTruthTable(ctx, OR);
}
