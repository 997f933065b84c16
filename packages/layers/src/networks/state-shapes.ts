import type { NetworkConfig } from './network.js';

/**
 * The state dict a network config builds — every tensor's name and shape — computed without
 * building it: a model file's config can then be checked against the tensors the file holds
 * before any weight is allocated, so a damaged or hostile config (`"hiddenSize": 1e9`) is refused
 * instead of allocating what it claims. Kept equal to the constructors' layers by
 * `state-shapes.test.ts`.
 */

/** A config this function cannot size: the message names the option and its value. */
export class NetworkConfigError extends Error {
  override name = 'NetworkConfigError';
}

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

function positive(architecture: string, what: string, value: number): number {
  if (!(value >= 1)) {
    throw new NetworkConfigError(`${architecture}: ${what} comes out as ${value}, not ≥ 1`);
  }
  return value;
}

function linear(shapes: Shapes, name: string, inFeatures: number, outFeatures: number): void {
  shapes[`${name}.weight`] = [outFeatures, inFeatures];
  shapes[`${name}.bias`] = [outFeatures];
}

function conv(shapes: Shapes, name: string, inC: number, outC: number, k: number): void {
  shapes[`${name}.weight`] = [outC, inC, k, k];
  shapes[`${name}.bias`] = [outC];
}

function simpleConvNet(config: NetworkConfig): Shapes {
  const [channels, height] = counts(config, 'inputDim', [1, 28, 28], 3) as [number, number];
  const filterNum = count(config, 'filterNum', 30);
  const filterSize = count(config, 'filterSize', 5);
  const pad = count(config, 'pad', 0, 0);
  const stride = count(config, 'stride', 1);
  const hiddenSize = count(config, 'hiddenSize', 100);
  const outputSize = count(config, 'outputSize', 10);
  const convOut = positive(
    config.architecture,
    'the convolution output size',
    Math.floor((height + 2 * pad - filterSize) / stride) + 1,
  );
  const half = Math.floor(convOut / 2);
  const poolOut = positive(
    config.architecture,
    'the pooled feature count',
    filterNum * half * half,
  );
  const shapes: Shapes = {};
  conv(shapes, 'conv1', channels, filterNum, filterSize);
  linear(shapes, 'fc1', poolOut, hiddenSize);
  linear(shapes, 'fc2', hiddenSize, outputSize);
  return shapes;
}

function deepConvNet(config: NetworkConfig): Shapes {
  const [channels, height, width] = counts(config, 'inputDim', [1, 28, 28], 3) as [
    number,
    number,
    number,
  ];
  const hiddenSize = count(config, 'hiddenSize', 50);
  const outputSize = count(config, 'outputSize', 10);
  const side = (d: number) => Math.floor(Math.floor((Math.floor(d / 2) + 2) / 2) / 2);
  const features = positive(config.architecture, 'the fc1 input', 64 * side(height) * side(width));
  const shapes: Shapes = {};
  const channelsIn = [channels, 16, 16, 32, 32, 64];
  const channelsOut = [16, 16, 32, 32, 64, 64];
  for (let i = 0; i < 6; i++) conv(shapes, `conv${i + 1}`, channelsIn[i]!, channelsOut[i]!, 3);
  linear(shapes, 'fc1', features, hiddenSize);
  linear(shapes, 'fc2', hiddenSize, outputSize);
  return shapes;
}

function multiLayerNet(config: NetworkConfig): Shapes {
  const sizes = [
    count(config, 'inputSize', 784),
    ...counts(config, 'hiddenSizeList', [100, 100, 100, 100, 100]),
    count(config, 'outputSize', 10),
  ];
  const useBatchnorm = Boolean(config.useBatchnorm ?? false);
  const shapes: Shapes = {};
  for (let i = 1; i < sizes.length; i++) {
    linear(shapes, `fc${i}`, sizes[i - 1]!, sizes[i]!);
    if (i === sizes.length - 1 || !useBatchnorm) continue;
    for (const name of ['weight', 'bias', 'running_mean', 'running_var'])
      shapes[`bn${i}.${name}`] = [sizes[i]!];
    shapes[`bn${i}.num_batches_tracked`] = [];
  }
  return shapes;
}

const sizers: Record<string, (config: NetworkConfig) => Shapes> = {
  'simple-convnet': simpleConvNet,
  'deep-convnet': deepConvNet,
  mlp: multiLayerNet,
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
