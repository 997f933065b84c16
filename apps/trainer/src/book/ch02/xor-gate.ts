/**
 * `ch02/xor_gate.py` (section 2.5.2): XOR, which no single perceptron can draw, as two layers of
 * them: AND(NAND(x1, x2), OR(x1, x2)).
 */
import type { BookContext } from '../context.js';
import { AND, printTruthTable } from './and-gate.js';
import { NAND } from './nand-gate.js';
import { OR } from './or-gate.js';

export function XOR(x1: number, x2: number): number {
  const s1 = NAND(x1, x2);
  const s2 = OR(x1, x2);
  const y = AND(s1, s2);
  return y;
}

export function run(ctx: BookContext): void {
  printTruthTable(ctx, XOR);
}
