import { describe, expect, it } from 'vitest';
import { createNetwork } from './create-network.js';
import type { NetworkConfig } from './network.js';
import { NetworkConfigError, networkStateShapes } from './state-shapes.js';

function builtShapes(config: NetworkConfig): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(createNetwork(config).stateDict()).map(([name, t]) => [name, [...t.shape]]),
  );
}

describe('networkStateShapes', () => {
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
  ])('matches the network createNetwork builds: %j', (config) => {
    expect(networkStateShapes(config)).toEqual(builtShapes(config));
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
      [{ architecture: 'deep-convnet', inputDim: [1, 2, 2] }, /fc1 input comes out as 0/],
      [{ architecture: 'constructor' }, /unknown architecture "constructor"/],
      [{ architecture: '__proto__' }, /unknown architecture/],
    ];
    for (const [config, message] of bad) {
      expect(() => networkStateShapes(config), JSON.stringify(config)).toThrow(NetworkConfigError);
      expect(() => networkStateShapes(config)).toThrow(message);
    }
  });
});
