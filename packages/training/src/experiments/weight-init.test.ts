import { loadMnist } from '@scratchnet/datasets/node';
import { describe, expect, it } from 'vitest';
import { BOOK_WEIGHT_INITS, compareWeightInits } from './weight-init.js';

const mean = (v: number[]) => v.reduce((s, y) => s + y, 0) / v.length;

describe('compareWeightInits (the book’s weight_init_compare.py, figure 6-15)', () => {
  it('std 0.01 stays at ln 10 while He learns, as figure 6-15', async () => {
    const { train } = loadMnist({ normalize: true });
    const curves = await compareWeightInits(train.dataset, {
      iterations: 100,
      batchSize: 32,
      hiddenSizeList: [30, 30, 30, 30],
    });
    expect(curves.map((c) => c.name)).toEqual(BOOK_WEIGHT_INITS.map((w) => w.name));
    expect(curves.map((c) => c.name)).toEqual(['std=0.01', 'Xavier', 'He']);
    const [small, , he] = curves;
    // With std 0.01 the output is ~0 whatever the input: softmax uniform, loss ln 10.
    for (const loss of small!.losses) expect(Math.abs(loss - Math.log(10))).toBeLessThan(0.01);
    expect(mean(he!.losses.slice(-10))).toBeLessThan(mean(he!.losses.slice(0, 10)) - 0.2);
  });
});
