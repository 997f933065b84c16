import { type DeepConvNetOptions, deepConvNetSpecs } from './deep-conv-net.js';
import { inferSequentialShapes, type LayerSpec, noSequentialLimits } from './layer-specs.js';
import { type MultiLayerNetExtendOptions, multiLayerNetSpecs } from './multi-layer-net.js';
import type { NetworkConfig } from './network.js';
import { NetworkConfigError } from './network-config-error.js';
import { type SimpleConvNetOptions, simpleConvNetSpecs } from './simple-conv-net.js';
import { type TwoLayerNetOptions, twoLayerNetSpecs } from './two-layer-net.js';

export { NetworkConfigError };

/**
 * The state dict a network config builds — every tensor's name and shape — computed without
 * building it: a model file's config can then be checked against the tensors the file holds
 * before any weight is allocated, so a damaged or hostile config (`"hiddenSize": 1e9`) is refused
 * instead of allocating what it claims. Every architecture is sized by one inference over layer
 * specs (`inferSequentialShapes`): a SequentialNet's own, and for the book's networks the specs
 * their constructors take their sizes from too. `state-shapes.backends.test.ts` checks the sizes against
 * the networks built.
 */

type Shapes = Record<string, number[]>;

function count(config: NetworkConfig, key: string, fallback: number, min = 1): number {
  const value = config[key] === undefined ? fallback : config[key];
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new NetworkConfigError(
      `${config.architecture}: option ${key} is ${JSON.stringify(value)}, expected an integer ≥ ${min}`,
    );
  }
  return value as number;
}

function counts(config: NetworkConfig, key: string, fallback: number[], length?: number): number[] {
  const value = config[key] === undefined ? fallback : config[key];
  if (
    !Array.isArray(value) ||
    (length !== undefined && value.length !== length) ||
    value.length > 10_000 ||
    !value.every((v) => Number.isSafeInteger(v) && v >= 1)
  ) {
    throw new NetworkConfigError(
      `${config.architecture}: option ${key} is ${JSON.stringify(value)?.slice(0, 200)}, expected ${length ?? 'a list of'} integers ≥ 1`,
    );
  }
  return value as number[];
}

/**
 * The book's networks are sized without `sequentialLimits`: their options are checked above, and
 * their configs come with files that must hold every tensor they claim, which the model loader
 * compares before building anything (a config claiming 2^80 weights is refused by that).
 */
const book = (config: NetworkConfig) => ({
  source: config.architecture,
  limits: noSequentialLimits,
});

function simpleConvNet(config: NetworkConfig): Shapes {
  const inputDim = counts(config, 'inputDim', [1, 28, 28], 3);
  const specs = simpleConvNetSpecs({
    filterNum: count(config, 'filterNum', 30),
    filterSize: count(config, 'filterSize', 5),
    pad: count(config, 'pad', 0, 0),
    stride: count(config, 'stride', 1),
    hiddenSize: count(config, 'hiddenSize', 100),
    outputSize: count(config, 'outputSize', 10),
    weightInitStd: config.weightInitStd as SimpleConvNetOptions['weightInitStd'],
  });
  return inferSequentialShapes(inputDim, specs, book(config)).state;
}

function deepConvNet(config: NetworkConfig): Shapes {
  const inputDim = counts(config, 'inputDim', [1, 28, 28], 3);
  const specs = deepConvNetSpecs({
    hiddenSize: count(config, 'hiddenSize', 50),
    outputSize: count(config, 'outputSize', 10),
    dropoutStyle: config.dropoutStyle as DeepConvNetOptions['dropoutStyle'],
  });
  return inferSequentialShapes(inputDim, specs, book(config)).state;
}

function multiLayerNet(config: NetworkConfig): Shapes {
  const inputSize = count(config, 'inputSize', 784);
  const specs = multiLayerNetSpecs({
    ...(config as MultiLayerNetExtendOptions),
    hiddenSizeList: counts(config, 'hiddenSizeList', [100, 100, 100, 100, 100]),
    outputSize: count(config, 'outputSize', 10),
    useBatchnorm: Boolean(config.useBatchnorm ?? false),
    useDropout: Boolean(config.useDropout ?? false),
  });
  return inferSequentialShapes([inputSize], specs, book(config)).state;
}

function twoLayerNet(config: NetworkConfig): Shapes {
  const inputSize = count(config, 'inputSize', 784);
  const specs = twoLayerNetSpecs({
    hiddenSize: count(config, 'hiddenSize', 50),
    outputSize: count(config, 'outputSize', 10),
    activation: config.activation as TwoLayerNetOptions['activation'],
  });
  return inferSequentialShapes([inputSize], specs, book(config)).state;
}

function sequential(config: NetworkConfig): Shapes {
  return inferSequentialShapes(config.inputShape as number[], config.layers as LayerSpec[], {
    source: config.architecture,
  }).state;
}

const sizers: Record<string, (config: NetworkConfig) => Shapes> = {
  'simple-convnet': simpleConvNet,
  'deep-convnet': deepConvNet,
  mlp: multiLayerNet,
  sequential,
  'two-layer-net': twoLayerNet,
};

/**
 * Every state-dict entry `createNetwork(config)` would have, with its shape, computed from the
 * config alone (nothing is allocated). Throws a `NetworkConfigError` for an unknown architecture
 * or an option that is not a size.
 *
 * @example
 * networkStateShapes({ architecture: 'mlp', inputSize: 4, hiddenSizeList: [3], outputSize: 2 });
 * // { 'fc1.weight': [3, 4], 'fc1.bias': [3], 'fc2.weight': [2, 3], 'fc2.bias': [2] }
 */
export function networkStateShapes(config: NetworkConfig): Record<string, number[]> {
  const sizer =
    typeof config?.architecture === 'string' && Object.hasOwn(sizers, config.architecture)
      ? sizers[config.architecture]
      : undefined;
  if (!sizer) {
    throw new NetworkConfigError(
      `unknown architecture ${JSON.stringify(config?.architecture)} (known: ${Object.keys(sizers).join(', ')})`,
    );
  }
  return sizer(config);
}
