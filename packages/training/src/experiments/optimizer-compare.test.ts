import { loadMnist } from '@scratchnet/datasets/node';
import { describe, expect, it } from 'vitest';
import { BOOK_MNIST_LR, compareOptimizers } from './optimizer-compare.js';

const mean = (v: number[]) => v.reduce((s, y) => s + y, 0) / v.length;

describe('compareOptimizers (the book’s optimizer_compare_mnist.py, figure 6-9)', () => {
  it('races the book’s four optimizers at its rates; the adaptive ones pull ahead of SGD', async () => {
    const { train } = loadMnist({ normalize: true });
    const printed: number[] = [];
    const curves = await compareOptimizers(train.dataset, {
      iterations: 80,
      batchSize: 32,
      hiddenSizeList: [30, 30, 30, 30],
      onIteration: (i) => {
        printed.push(i);
      },
    });
    expect(curves.map((c) => [c.name, c.lr])).toEqual([
      ['SGD', 0.01],
      ['Momentum', 0.01],
      ['AdaGrad', 0.01],
      ['Adam', 0.001],
    ]);
    expect(BOOK_MNIST_LR.Adam).toBe(0.001);
    expect(printed).toEqual(Array.from({ length: 80 }, (_, i) => i));
    const end: Record<string, number> = {};
    for (const { name, losses } of curves) {
      expect(losses).toHaveLength(80);
      // He-initialised ReLU nets start near ln 10 = 2.30 (this is after the first update).
      expect(losses[0], name).toBeGreaterThan(1.8);
      expect(losses[0], name).toBeLessThan(2.8);
      end[name] = mean(losses.slice(-10));
      expect(end[name], name).toBeLessThan(mean(losses.slice(0, 10)));
    }
    // As figure 6-9: SGD is the slowest.
    for (const name of ['Momentum', 'AdaGrad', 'Adam']) expect(end[name]!).toBeLessThan(end.SGD!);
  });
});
