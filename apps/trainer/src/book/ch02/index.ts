/** The book's chapter 2 scripts: Perceptrons. */
import type { BookChapter } from '../script.js';
import * as andGate from './and-gate.js';
import * as nandGate from './nand-gate.js';
import * as orGate from './or-gate.js';
import * as xorGate from './xor-gate.js';

export const ch02: BookChapter = {
  chapter: 'ch02',
  title: 'Perceptrons',
  scripts: [
    {
      name: 'and-gate',
      section: '2.3.3',
      title: 'the AND gate as a perceptron (weights and bias): its truth table',
      run: andGate.run,
    },
    {
      name: 'nand-gate',
      section: '2.3.3',
      title: 'the NAND gate: the same perceptron, other weights',
      run: nandGate.run,
    },
    {
      name: 'or-gate',
      section: '2.3.3',
      title: 'the OR gate: the same perceptron, a smaller bias',
      run: orGate.run,
    },
    {
      name: 'xor-gate',
      section: '2.5.2',
      title: 'XOR from two layers of perceptrons: AND(NAND, OR)',
      run: xorGate.run,
    },
  ],
};
