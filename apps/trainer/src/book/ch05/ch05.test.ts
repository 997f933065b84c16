import { describe, expect, it } from 'vitest';
import { runScript, scriptNames } from '../testing.js';
import { ch05 } from './index.js';

describe('scratchnet book: ch05 backpropagation', () => {
  it('buy-apple prints the book’s price and gradients', async () => {
    const { lines } = await runScript('ch05/buy-apple');
    expect(lines).toEqual(['price: 220', 'dApple: 2.2', 'dApple_num: 110', 'dTax: 200']);
  });

  it('buy-apple-orange prints the book’s price and gradients (dOrange as Python prints it)', async () => {
    const { lines } = await runScript('ch05/buy-apple-orange');
    expect(lines).toEqual([
      'price: 715',
      'dApple: 2.2',
      'dApple_num: 110',
      'dOrange: 3.3000000000000003',
      'dOrange_num: 165',
      'dTax: 650',
    ]);
    expect(Number(lines[3]!.split(' ')[1])).toBeCloseTo(3.3, 12);
  });

  it('gradient-check: each mean difference is below the float32 bound it states', async () => {
    const { lines } = await runScript('ch05/gradient-check');
    const keys = lines.slice(0, 4).map((line) => line.split(':')[0]);
    expect(keys).toEqual(['W1', 'b1', 'W2', 'b2']);
    const bound = Number(lines[4]!.match(/below (\S+?)\./)?.[1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(2e-5);
    for (const line of lines.slice(0, 4)) {
      const diff = Number(line.split(':')[1]);
      expect(diff, line).toBeGreaterThan(0);
      expect(diff, line).toBeLessThan(bound);
    }
  }, 120_000);
});

it('tests every ch05 script', () => {
  expect(scriptNames(ch05)).toEqual(['buy-apple', 'buy-apple-orange', 'gradient-check']);
});
