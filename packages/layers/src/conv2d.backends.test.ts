import type { Pair } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { Conv2d } from './conv2d.js';
import { checkLayerCase, loadFixture } from './testing/golden.js';

const { cases } = loadFixture('conv2d.json');

describeEachBackend('Conv2d against nn.Conv2d', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { inChannels, outChannels, kernelSize, stride, padding, bias } = c.options as {
      inChannels: number;
      outChannels: number;
      kernelSize: Pair;
      stride: Pair;
      padding: Pair;
      bias: boolean;
    };
    const conv = new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, bias });
    checkLayerCase(c, conv);
  });
});

describeEachBackend('Conv2d', () => {
  it('has weight [out, in, kh, kw] and bias [out], as the book’s W and b', () => {
    const conv = new Conv2d(3, 8, [5, 3]);
    expect(conv.weight.shape).toEqual([8, 3, 5, 3]);
    expect(conv.bias!.shape).toEqual([8]);
    expect(conv.parameterCount()).toBe(8 * 3 * 5 * 3 + 8);
  });

  it('draws PyTorch’s default init within ±1/√fan-in', () => {
    const conv = new Conv2d(2, 4, 3);
    const bound = 1 / Math.sqrt(2 * 3 * 3);
    const values = [...conv.weight.dataSync(), ...conv.bias!.dataSync()];
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    // Not all zero or constant: the values spread over most of the range.
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(bound);
  });
});
