import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { createNetwork } from './create-network.js';
import type { NetworkConfig } from './network.js';
import { NetworkConfigError, networkStateShapes } from './state-shapes.js';

function builtShapes(config: NetworkConfig): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(createNetwork(config).stateDict()).map(([name, t]) => [name, [...t.shape]]),
  );
}

describeEachBackend('networkStateShapes', () => {
  it.each<NetworkConfig>([
    { architecture: 'simple-convnet' },
    {
      architecture: 'simple-convnet',
      inputDim: [3, 17, 17],
      filterNum: 4,
      filterSize: 3,
      pad: 2,
      stride: 2,
      hiddenSize: 7,
      outputSize: 3,
    },
    // Not square: fc1's inputs come from both sides (the constructor used the height alone).
    { architecture: 'simple-convnet', inputDim: [1, 28, 20], filterSize: 3, hiddenSize: 4 },
    { architecture: 'deep-convnet' },
    { architecture: 'deep-convnet', inputDim: [2, 9, 13], hiddenSize: 5, outputSize: 4 },
    { architecture: 'mlp' },
    { architecture: 'mlp', inputSize: 5, hiddenSizeList: [], outputSize: 2 },
    {
      architecture: 'mlp',
      inputSize: 6,
      hiddenSizeList: [4, 3],
      outputSize: 2,
      useBatchnorm: true,
      useDropout: true,
    },
    {
      architecture: 'sequential',
      inputShape: [3, 11, 9],
      layers: [
        { type: 'conv2d', name: 'c', outChannels: 4, kernelSize: [3, 2], padding: 1, bias: false },
        { type: 'batchNorm' },
        { type: 'avgPool2d', kernelSize: 2, stride: 1, padding: 1 },
        { type: 'flatten' },
        { type: 'linear', outFeatures: 5 },
        { type: 'batchNorm', name: 'bn', affine: false },
        { type: 'dropout', p: 0.2 },
        { type: 'linear', name: 'out', outFeatures: 2 },
      ],
    },
  ])('matches the network createNetwork builds: %j', (config) => {
    expect(networkStateShapes(config)).toEqual(builtShapes(config));
  });

  it('sizes the book’s networks without the sequential limits: their files must hold the tensors', () => {
    const huge = networkStateShapes({
      architecture: 'mlp',
      inputSize: 2 ** 40,
      hiddenSizeList: [],
      outputSize: 3,
    });
    expect(huge).toEqual({ 'fc1.weight': [3, 2 ** 40], 'fc1.bias': [3] });
    // The same layer as a SequentialNet config (which may come from a link, with no file) is refused.
    expect(() =>
      networkStateShapes({
        architecture: 'sequential',
        inputShape: [2 ** 20],
        layers: [{ type: 'linear', outFeatures: 100 }],
      }),
    ).toThrow('sequential: layer 0 (linear): the layers up to here hold 104,857,700 values');
  });

  it('refuses options that are not sizes, before anything is allocated', () => {
    const bad: [NetworkConfig, RegExp][] = [
      [{ architecture: 'mlp', inputSize: 1e300 }, /option inputSize is 1e\+300/],
      [{ architecture: 'mlp', hiddenSizeList: [3, -1] }, /option hiddenSizeList is \[3,-1\]/],
      [{ architecture: 'mlp', hiddenSizeList: 'abc' }, /hiddenSizeList/],
      [{ architecture: 'mlp', outputSize: null }, /option outputSize is null/],
      [{ architecture: 'simple-convnet', inputDim: [1, 28] }, /inputDim/],
      [
        { architecture: 'simple-convnet', filterSize: 40 },
        /convolution output size comes out as -11/,
      ],
      // 2 → 1 → 3 (conv4 pads by 2) → 1 → 0 at the third pool.
      [
        { architecture: 'deep-convnet', inputDim: [1, 2, 2] },
        /layer 14 "pool3" \(maxPool2d\): the pooling output size comes out as 0×0/,
      ],
      [{ architecture: 'sequential', layers: [] }, /sequential: "inputShape" is missing/],
      [
        { architecture: 'sequential', inputShape: [4] },
        /sequential: expected a list of layer specs/,
      ],
      [
        {
          architecture: 'sequential',
          inputShape: [4],
          layers: [{ type: 'linear', outFeatures: 0 }],
        },
        /sequential: layer 0 \(linear\): "outFeatures" is 0/,
      ],
      [
        {
          architecture: 'sequential',
          inputShape: [1_000_000],
          layers: [{ type: 'linear', outFeatures: 1000 }],
        },
        /hold 1,000,001,000 values, more than the limit of 67,108,864/,
      ],
      [{ architecture: 'constructor' }, /unknown architecture "constructor"/],
      [{ architecture: '__proto__' }, /unknown architecture/],
    ];
    for (const [config, message] of bad) {
      expect(() => networkStateShapes(config), JSON.stringify(config)).toThrow(NetworkConfigError);
      expect(() => networkStateShapes(config)).toThrow(message);
    }
  });
});
