import { DeepConvNet, type DeepConvNetOptions } from './deep-conv-net.js';
import { MultiLayerNet, type MultiLayerNetExtendOptions } from './multi-layer-net.js';
import type { Network, NetworkConfig } from './network.js';
import { SequentialNet, type SequentialNetOptions } from './sequential-net.js';
import { SimpleConvNet, type SimpleConvNetOptions } from './simple-conv-net.js';
import { TwoLayerNet, type TwoLayerNetOptions } from './two-layer-net.js';

const builders: Record<string, (options: never) => Network> = {
  'simple-convnet': (options: SimpleConvNetOptions) => new SimpleConvNet(options),
  'deep-convnet': (options: DeepConvNetOptions) => new DeepConvNet(options),
  mlp: (options: MultiLayerNetExtendOptions) => new MultiLayerNet(options),
  sequential: (options: SequentialNetOptions) => new SequentialNet(options),
  'two-layer-net': (options: TwoLayerNetOptions) => new TwoLayerNet(options),
};

/** The architectures `createNetwork` knows. */
export const networkArchitectures = Object.keys(builders);

/**
 * Builds a network from its config (as stored in a model file), e.g.
 * `createNetwork({ architecture: 'simple-convnet', hiddenSize: 100 })` or
 * `createNetwork({ architecture: 'sequential', inputShape: [784], layers: [{ type: 'linear', outFeatures: 10 }] })`.
 */
export function createNetwork(config: NetworkConfig): Network {
  const build = Object.hasOwn(builders, config.architecture)
    ? builders[config.architecture]
    : undefined;
  if (!build) {
    throw new Error(
      `createNetwork: unknown architecture "${config.architecture}" (known: ${networkArchitectures.join(', ')})`,
    );
  }
  const { architecture: _, ...options } = config;
  return build(options as never);
}
