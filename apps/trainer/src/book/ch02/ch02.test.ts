import { describe, expect, it } from 'vitest';
import { runScript, scriptNames } from '../testing.js';
import { ch02 } from './index.js';

describe('scratchnet book: ch02 perceptrons', () => {
  const tables: Record<string, number[]> = {
    'ch02/and-gate': [0, 0, 0, 1],
    'ch02/nand-gate': [1, 1, 1, 0],
    'ch02/or-gate': [0, 1, 1, 1],
    'ch02/xor-gate': [0, 1, 1, 0],
  };
  for (const [id, ys] of Object.entries(tables)) {
    it(`${id} prints the book’s truth table`, async () => {
      const { lines, files } = await runScript(id);
      const inputs = ['(0, 0)', '(1, 0)', '(0, 1)', '(1, 1)'];
      expect(lines).toEqual(inputs.map((xs, i) => `${xs} -> ${ys[i]}`));
      expect(files).toEqual([]);
    });
  }
});

it('tests every ch02 script', () => {
  expect(scriptNames(ch02)).toEqual(['and-gate', 'nand-gate', 'or-gate', 'xor-gate']);
});
