import { MultiLayerNetExtend } from '@scratchnet/layers';
import { manualSeed, randn } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { backpropGradients, gradientCheck, numericalGradients } from './gradient-check.js';

const bnNet = () => {
  manualSeed(4);
  return new MultiLayerNetExtend({
    inputSize: 6,
    hiddenSizeList: [5, 5],
    outputSize: 3,
    useBatchnorm: true,
  });
};

describe('gradientCheck (the book’s batch_norm_gradient_check.py)', () => {
  it('agrees with backpropagation through batch norm on two samples, parameter by parameter', () => {
    const net = bnNet();
    const x = randn([2, 6]);
    const result = gradientCheck(net, x, [0, 2]);
    expect(result.map((r) => r.name)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'bn1.weight',
      'bn1.bias',
      'fc2.weight',
      'fc2.bias',
      'bn2.weight',
      'bn2.bias',
      'fc3.weight',
      'fc3.bias',
    ]);
    for (const { name, meanAbsDifference } of result) {
      expect(meanAbsDifference, name).toBeLessThan(5e-5);
    }
    // A wrong gradient does not pass: backprop of another batch differs by far more.
    const other = backpropGradients(net, randn([2, 6]), [1, 1])['fc3.weight']!.dataSync();
    const numerical = numericalGradients(net, x, [0, 2])['fc3.weight']!.dataSync();
    const wrong = numerical.reduce((s, v, i) => s + Math.abs(v - other[i]!), 0) / numerical.length;
    expect(wrong).toBeGreaterThan(1e-2);
  });

  it('refuses one sample in training, as PyTorch: batch norm would output β whatever comes in', () => {
    // The book checks on one image, where every gradient before the last batch norm is zero.
    expect(() => backpropGradients(bnNet(), randn([1, 6]), [1])).toThrow(
      /more than one value per channel/,
    );
  });
});
