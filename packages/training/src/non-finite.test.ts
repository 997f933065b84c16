import { MultiLayerNet } from '@scratchnet/layers';
import { tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { findNonFiniteGradient } from './non-finite.js';

describe('findNonFiniteGradient', () => {
  it('names the first parameter whose gradient is not finite, with its counts', async () => {
    const network = new MultiLayerNet({ inputSize: 3, hiddenSizeList: [2], outputSize: 2 });
    const [fc1Weight, , fc2Weight, fc2Bias] = network.parameters();
    fc1Weight!.grad = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await findNonFiniteGradient(network)).toBeNull();
    fc2Weight!.grad = tensor([
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, Number.NaN],
    ]);
    fc2Bias!.grad = tensor([Number.NaN, 0]);
    expect(await findNonFiniteGradient(network)).toEqual({
      tensorName: 'fc2.weight',
      description: 'the gradient of fc2.weight [2, 2] has 2 NaN and 1 infinite value(s) of 4',
    });
  });
});
