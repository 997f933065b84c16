import type { StateDict } from '@scratchnet/layers';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  createNetwork,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  Network,
  type NetworkConfig,
  ReLU,
  Sigmoid,
  Tanh,
} from '@scratchnet/layers';
import {
  readNetworkConfig,
  SafetensorsError,
  safetensorsToTensors,
  saveModel,
} from '@scratchnet/serialization';
import { noGrad, type Tensor, zeros } from '@scratchnet/tensor';
import { formatLayers, type LayerSpec, parseLayers } from './setup.js';

export const PLAYGROUND_ARCHITECTURE = 'playground-sequential';
export const CLASSES = 10;
export const INPUT_SHAPE = [1, 28, 28] as const;

/** One built layer, with the shape it outputs (per sample) and a name for the inside view. */
export interface LayerInfo {
  name: string;
  kind: string;
  outputShape: number[];
  params: number;
}

/**
 * A network edited in the playground: its layers one after another, then a Flatten (inserted
 * before the first Linear if needed) and the output Linear to 10 classes. The layer list is its
 * config, so `saveModel` writes it into the model file and `loadNetwork` builds it again.
 */
export class PlaygroundNet extends Network {
  readonly config: NetworkConfig;
  readonly inputShape = [...INPUT_SHAPE];
  readonly layers: Module[];
  readonly shapes: number[][];

  constructor(specs: readonly LayerSpec[]) {
    super();
    this.config = { architecture: PLAYGROUND_ARCHITECTURE, layers: formatLayers(specs) };
    const layers: Module[] = [];
    const shapes: number[][] = [];
    let shape: number[] = [...INPUT_SHAPE];
    const flatten = () => {
      if (shape.length === 3) {
        layers.push(new Flatten());
        shape = [shape.reduce((a, b) => a * b, 1)];
        shapes.push(shape);
      }
    };
    specs.forEach((spec, index) => {
      const where = `layer ${index + 1} (${spec.type})`;
      switch (spec.type) {
        case 'conv': {
          if (shape.length !== 3) throw new Error(`${where}: a convolution needs an image input`);
          const [c, h, w] = shape as [number, number, number];
          const oh = Math.floor((h + 2 * spec.pad - spec.size) / spec.stride) + 1;
          const ow = Math.floor((w + 2 * spec.pad - spec.size) / spec.stride) + 1;
          if (oh < 1 || ow < 1) throw new Error(`${where}: the ${h}×${w} input is too small`);
          layers.push(
            new Conv2d(c, spec.filters, spec.size, {
              stride: spec.stride,
              padding: spec.pad,
              init: 'he',
            }),
          );
          shape = [spec.filters, oh, ow];
          break;
        }
        case 'pool': {
          if (shape.length !== 3) throw new Error(`${where}: pooling needs an image input`);
          const [c, h, w] = shape as [number, number, number];
          const oh = Math.floor(h / spec.size);
          const ow = Math.floor(w / spec.size);
          if (oh < 1 || ow < 1) throw new Error(`${where}: the ${h}×${w} input is too small`);
          layers.push(new MaxPool2d(spec.size, spec.size));
          shape = [c, oh, ow];
          break;
        }
        case 'linear': {
          flatten();
          layers.push(new Linear(shape[0]!, spec.units, { init: 'he' }));
          shape = [spec.units];
          break;
        }
        case 'relu':
          layers.push(new ReLU());
          break;
        case 'sigmoid':
          layers.push(new Sigmoid());
          break;
        case 'tanh':
          layers.push(new Tanh());
          break;
        case 'dropout':
          layers.push(new Dropout(spec.p));
          break;
        case 'batchnorm':
          layers.push(shape.length === 3 ? new BatchNorm2d(shape[0]!) : new BatchNorm1d(shape[0]!));
          break;
      }
      shapes.push(shape);
    });
    flatten();
    const size = shape[0]!;
    if (size > 200_000) throw new Error(`the output layer would have ${size} inputs: add pooling`);
    layers.push(new Linear(size, CLASSES, { init: 'xavier' }));
    shapes.push([CLASSES]);
    this.layers = layers;
    this.shapes = shapes;
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((out, layer) => layer.forward(out), x);
  }
}

/** Builds a network from any config the playground knows (its own, or the trainer's). */
export function buildNetwork(config: NetworkConfig): Network {
  if (config.architecture === PLAYGROUND_ARCHITECTURE) {
    if (typeof config.layers !== 'string') throw new Error('the config has no layer list');
    return new PlaygroundNet(parseLayers(config.layers));
  }
  return createNetwork(config);
}

/**
 * Runs `network` on `x`, calling `visit` with every leaf layer's output (in order), as
 * `Module.summary` watches them: the inside view draws the feature maps from these.
 */
export function forwardWithActivations(
  network: Network,
  x: Tensor,
  visit: (name: string, layer: Module, output: Tensor) => void,
): Tensor {
  const leaves = network
    .namedModules()
    .filter(([name, m]) => name !== '' && m.namedChildren().length === 0);
  for (const [name, module] of leaves) {
    const original = module.forward;
    module.forward = (input: Tensor) => {
      const out = original.call(module, input);
      visit(name, module, out);
      return out;
    };
  }
  try {
    return network.forward(x);
  } finally {
    for (const [, module] of leaves) delete (module as { forward?: unknown }).forward;
  }
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
 * Reads a model file: a scratchnet model file (from the trainer or this playground), or a plain
 * SimpleConvNet state dict as `scratchnet export` writes it. Throws, naming the file, on anything
 * else; the caller keeps its current model then.
 */
export function loadNetwork(bytes: Uint8Array, source: string): Network {
  const { tensors, metadata } = safetensorsToTensors(bytes, { source });
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
    network = buildNetwork(config);
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
