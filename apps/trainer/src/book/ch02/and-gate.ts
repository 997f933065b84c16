/**
 * `ch02/and_gate.py` (section 2.3.3, "implementation with weights and bias"): the AND gate as a
 * perceptron with weights w = (0.5, 0.5) and a bias b = −0.7, the bias brought in by section
 * 2.3.2 (section 2.3.1's simple version, with a threshold θ instead of a bias, is not a file of
 * the book's repository). The neuron fires (1) when w·x + b is above 0: the step function of
 * section 3.2.2.
 */
import { stepFunction, tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';

export function AND(x1: number, x2: number): number {
  const x = tensor([x1, x2]);
  const w = tensor([0.5, 0.5]);
  const b = -0.7;
  const tmp = x.mul(w).sum().add(b);
  return stepFunction(tmp).item(); // tmp <= 0 → 0, else 1
}

/** The four inputs in the book's order, each printed as `(0, 0) -> 0`. */
export const INPUTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];

export function printTruthTable(ctx: BookContext, gate: (x1: number, x2: number) => number) {
  for (const xs of INPUTS) {
    const y = gate(xs[0], xs[1]);
    ctx.print(`(${xs[0]}, ${xs[1]}) -> ${y}`); // print(str(xs) + " -> " + str(y))
  }
}

export function run(ctx: BookContext): void {
  printTruthTable(ctx, AND);
}
