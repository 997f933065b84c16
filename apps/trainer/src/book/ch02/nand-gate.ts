/**
 * `ch02/nand_gate.py` (section 2.3.3): NAND, the AND gate with every sign turned round — the
 * same perceptron, only the weights and the bias differ.
 */
import { stepFunction, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { printTruthTable } from './and-gate.js';

export function NAND(x1: number, x2: number): number {
  const x = tensor([x1, x2]);
  const w = tensor([-0.5, -0.5]);
  const b = 0.7;
  return stepFunction(x.mul(w).sum().add(b)).item();
}

export function run(ctx: BookContext): void {
  printTruthTable(ctx, NAND);
}
