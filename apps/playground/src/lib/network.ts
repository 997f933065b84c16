import {
  Conv2d,
  createNetwork,
  forwardWithActivations,
  inferSequentialShapes,
  type LayerSpec as LibraryLayerSpec,
  type Network,
  type NetworkConfig,
  type SequentialNetConfig,
  type StateDict,
} from '@scratchnet/layers';
import {
  readNetworkConfig,
  SafetensorsError,
  safetensorsToTensors,
  saveModel,
} from '@scratchnet/serialization';
import { noGrad, tensor, zeros } from '@scratchnet/tensor';
import { type LayerSpec, parseLayers } from './setup.js';

/** Model files from earlier playground versions: the editor's compact layer list. */
const LEGACY_ARCHITECTURE = 'playground-sequential';
export const CLASSES = 10;
export const INPUT_SHAPE = [1, 28, 28] as const;
/** An output layer wider than this needs pooling first: a guard against a frozen tab. */
const MAX_OUTPUT_INPUTS = 200_000;

export { forwardWithActivations };

/** One built layer, with the shape it outputs (per sample) and a name for the inside view. */
export interface LayerInfo {
  name: string;
  kind: string;
  outputShape: number[];
  params: number;
}

/**
 * The network the editor's layers describe, as the library's `sequential` config: the layers in
 * order, a Flatten before the first Linear (and at the end, if still an image), and the output
 * Linear to 10 classes. The same config is what a model file stores, so `scratchnet eval`,
 * `predict`, `summary` and `export` open a network trained here. Layers are named as the book
 * names them (conv1, pool1, fc1, …), so the inside view and the state dict read alike.
 */
export function networkConfigFor(layers: readonly LayerSpec[]): SequentialNetConfig {
  const counts = new Map<string, number>();
  const name = (kind: string) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    return `${kind}${n}`;
  };
  const specs: LibraryLayerSpec[] = [];
  let flat = false;
  const flatten = () => {
    if (flat) return;
    flat = true;
    specs.push({ type: 'flatten', name: 'flatten' });
  };
  for (const layer of layers) {
    switch (layer.type) {
      case 'conv':
        specs.push({
          type: 'conv2d',
          name: name('conv'),
          outChannels: layer.filters,
          kernelSize: layer.size,
          stride: layer.stride,
          padding: layer.pad,
          init: 'he',
        });
        break;
      case 'pool':
        specs.push({ type: 'maxPool2d', name: name('pool'), kernelSize: layer.size });
        break;
      case 'linear':
        flatten();
        specs.push({ type: 'linear', name: name('fc'), outFeatures: layer.units, init: 'he' });
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        specs.push({ type: layer.type, name: name(layer.type) });
        break;
      case 'dropout':
        specs.push({ type: 'dropout', name: name('dropout'), p: layer.p });
        break;
      case 'batchnorm':
        specs.push({ type: 'batchNorm', name: name('bn') });
        break;
    }
  }
  flatten();
  specs.push({ type: 'linear', name: name('fc'), outFeatures: CLASSES, init: 'xavier' });
  return { architecture: 'sequential', inputShape: [...INPUT_SHAPE], layers: specs };
}

/**
 * The editor's preview: every editor layer's output shape (per sample, as the editor lists them)
 * and the parameter count, worked out without building anything. Throws, naming the editor's
 * layer (`layer 2 (conv): …`), when the layers do not fit together.
 */
export function previewNetwork(layers: readonly LayerSpec[]): {
  shapes: number[][];
  params: number;
  config: SequentialNetConfig;
} {
  const config = networkConfigFor(layers);
  let shapes: ReturnType<typeof inferSequentialShapes>;
  try {
    shapes = inferSequentialShapes(config.inputShape, config.layers, 'network');
  } catch (error) {
    throw new Error(editorWords(error as Error, config, layers));
  }
  const output = shapes.layers.at(-1)!;
  if (output.inputShape[0]! > MAX_OUTPUT_INPUTS) {
    throw new Error(`the output layer would have ${output.inputShape[0]} inputs: add pooling`);
  }
  return {
    shapes: shapes.layers.map((layer) => layer.outputShape),
    params: shapes.parameterCount,
    config,
  };
}

/** A library error about spec `i` retold about the editor's layer it came from. */
function editorWords(error: Error, config: SequentialNetConfig, layers: readonly LayerSpec[]) {
  const failing = config.layers.findIndex(
    (spec) => spec.name && error.message.includes(`"${spec.name}"`),
  );
  if (failing < 0) return error.message;
  const editorIndex = config.layers
    .slice(0, failing + 1)
    .filter((spec) => spec.name !== 'flatten').length;
  if (editorIndex > layers.length) return `the output layer: ${error.message}`;
  return `layer ${editorIndex} (${layers[editorIndex - 1]!.type}): ${error.message}`;
}

/**
 * A model file of an earlier playground: its editor string becomes the library's config, and its
 * state names (`layers.3.weight`, by position in its own layer list) the config's layer names.
 */
function fromLegacy(
  config: NetworkConfig,
  tensors: StateDict,
): { config: SequentialNetConfig; tensors: StateDict } {
  if (typeof config.layers !== 'string') throw new Error('the config has no layer list');
  const sequential = networkConfigFor(parseLayers(config.layers));
  const renamed: StateDict = {};
  for (const [key, value] of Object.entries(tensors)) {
    const match = /^layers\.(\d+)\.(.+)$/.exec(key);
    const spec = match ? sequential.layers[Number(match[1])] : undefined;
    renamed[spec?.name && match ? `${spec.name}.${match[2]}` : key] = value;
  }
  return { config: sequential, tensors: renamed };
}

/**
 * A plain state dict (as `scratchnet export` writes, without the config) that has the book's
 * SimpleConvNet tensors: rebuild the SimpleConvNet its shapes describe.
 */
function inferSimpleConvNet(tensors: StateDict): NetworkConfig | undefined {
  const conv = tensors['conv1.weight']?.shape;
  const fc1 = tensors['fc1.weight']?.shape;
  const fc2 = tensors['fc2.weight']?.shape;
  const keys = Object.keys(tensors).sort().join(',');
  const expected = 'conv1.bias,conv1.weight,fc1.bias,fc1.weight,fc2.bias,fc2.weight';
  if (!conv || !fc1 || !fc2 || keys !== expected || conv.length !== 4) return undefined;
  return {
    architecture: 'simple-convnet',
    inputDim: [conv[1]!, 28, 28],
    filterNum: conv[0]!,
    filterSize: conv[2]!,
    hiddenSize: fc1[0]!,
    outputSize: fc2[0]!,
  };
}

/**
 * Reads a model file: a scratchnet model file (from the trainer, this playground or an earlier
 * one), or a plain SimpleConvNet state dict as `scratchnet export` writes it. Throws, naming the
 * file, on anything else; the caller keeps its current model then.
 */
export function loadNetwork(bytes: Uint8Array, source: string): Network {
  let { tensors, metadata } = safetensorsToTensors(bytes, { source });
  const kind = metadata['scratchnet.kind'];
  if (kind !== undefined && kind !== 'model') {
    throw new SafetensorsError(source, `this is a scratchnet ${kind} file, not a model file`);
  }
  let config: NetworkConfig;
  if (metadata['scratchnet.config'] === undefined) {
    const inferred = inferSimpleConvNet(tensors);
    if (!inferred) readNetworkConfig(metadata, source); // throws: not a model file
    config = inferred!;
  } else {
    config = readNetworkConfig(metadata, source);
  }
  let network: Network;
  try {
    if (config.architecture === LEGACY_ARCHITECTURE)
      ({ config, tensors } = fromLegacy(config, tensors));
    network = createNetwork(config);
    network.loadStateDict(tensors);
  } catch (error) {
    throw new SafetensorsError(source, (error as Error).message);
  }
  network.eval();
  return network;
}

/** A model file for `network`, the format the trainer writes. */
export function saveNetwork(network: Network, metadata: Record<string, string> = {}): Uint8Array {
  return saveModel(network, { metadata });
}

/** Every leaf layer with its output shape and parameter count, for the layer table. */
export function describeLayers(network: Network): LayerInfo[] {
  const rows: LayerInfo[] = [];
  const wasTraining = network.training;
  network.eval();
  try {
    noGrad(() =>
      forwardWithActivations(network, zeros([1, ...network.inputShape]), (name, layer, out) => {
        rows.push({
          name,
          kind: layer.typeName,
          outputShape: out.shape.slice(1),
          params: layer.parameterCount(),
        });
      }),
    );
  } finally {
    network.train(wasTraining);
  }
  return rows;
}

/** What the inside view shows of one layer: its filters (convolutions) and its output. */
export interface InsideLayer {
  /** The name the network description gives the layer (conv1, pool1, fc1, …). */
  name: string;
  kind: string;
  /** The output shape per image. */
  outputShape: number[];
  params: number;
  /**
   * A convolution's weights, [filters, input channels, kh, kw] (row-major), the first
   * `maxFilters` filters and `maxInputs` input channels of each.
   */
  filters?: {
    shape: [number, number, number, number];
    /** Filters and input channels the layer has. */
    total: number;
    inputs: number;
    data: Float32Array;
  };
  /**
   * The layer's output for the inspected image: [channels, h, w] (the first `maxChannels`) for
   * images, [units] for vectors; absent when there is no image.
   */
  output?: { shape: number[]; total: number; data: Float32Array };
}

export interface InspectOptions {
  maxFilters?: number;
  maxInputs?: number;
  maxChannels?: number;
}

/**
 * Every layer of `network` (leaf modules, Flatten left out: it only reshapes), with each
 * convolution's filters and, given a 28×28 `input` (values in [0, 1]), each layer's output for
 * it, as copies that can be posted from a worker. Runs in evaluation mode without gradients and
 * leaves the network in the mode it found it.
 */
export function inspectNetwork(
  network: Network,
  input: Float32Array | null,
  { maxFilters = 64, maxInputs = 16, maxChannels = 64 }: InspectOptions = {},
): InsideLayer[] {
  const rows: InsideLayer[] = [];
  const wasTraining = network.training;
  network.eval();
  try {
    const x = input ? tensor(input, [1, ...network.inputShape]) : zeros([1, ...network.inputShape]);
    noGrad(() =>
      forwardWithActivations(network, x, (name, layer, out) => {
        if (layer.typeName === 'Flatten') return;
        const outputShape = out.shape.slice(1);
        const row: InsideLayer = {
          name,
          kind: layer.typeName,
          outputShape,
          params: layer.parameterCount(),
        };
        if (layer instanceof Conv2d) {
          const [f, c, kh, kw] = layer.weight.shape as [number, number, number, number];
          const shown: [number, number, number, number] = [
            Math.min(f, maxFilters),
            Math.min(c, maxInputs),
            kh,
            kw,
          ];
          const all = layer.weight.dataSync();
          const data = new Float32Array(shown[0] * shown[1] * kh * kw);
          for (let i = 0; i < shown[0]; i++) {
            for (let j = 0; j < shown[1]; j++) {
              const from = (i * c + j) * kh * kw;
              data.set(all.subarray(from, from + kh * kw), (i * shown[1] + j) * kh * kw);
            }
          }
          row.filters = { shape: shown, total: f, inputs: c, data };
        }
        if (input) {
          const values = out.dataSync();
          if (outputShape.length === 3) {
            const [c, h, w] = outputShape as [number, number, number];
            const shownC = Math.min(c, maxChannels);
            row.output = {
              shape: [shownC, h, w],
              total: c,
              data: values.slice(0, shownC * h * w),
            };
          } else {
            const n = values.length;
            row.output = { shape: [n], total: n, data: values.slice(0, n) };
          }
        }
        rows.push(row);
      }),
    );
  } finally {
    network.train(wasTraining);
  }
  return rows;
}
