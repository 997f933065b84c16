import type { Tensor } from '@scratchnet/tensor';
import { Flatten, ReLU, Sigmoid, Tanh } from '../activations.js';
import { BatchNorm1d, BatchNorm2d } from '../batch-norm.js';
import { Conv2d } from '../conv2d.js';
import { Dropout } from '../dropout.js';
import type { InitOptions } from '../init.js';
import { Linear } from '../linear.js';
import type { Module } from '../module.js';
import { AvgPool2d, MaxPool2d } from '../pooling.js';
import {
  inferSequentialShapes,
  type LayerShape,
  type LayerSpec,
  type SequentialShapes,
} from './layer-specs.js';
import { Network, type NetworkConfig } from './network.js';

/** What a `SequentialNet` is built from: its input shape and layer specs. */
export interface SequentialNetOptions {
  /** One sample's shape, without the batch axis: [1, 28, 28] for MNIST images, [784] flat. */
  inputShape: readonly number[];
  /** The layers, first to last. */
  layers: readonly LayerSpec[];
}

/** A SequentialNet's config: plain JSON, saved in its model file and built again from it. */
export interface SequentialNetConfig extends NetworkConfig {
  /** Always `'sequential'`. */
  architecture: 'sequential';
  /** One sample's shape, without the batch axis. */
  inputShape: number[];
  /** The validated layer specs. */
  layers: LayerSpec[];
}

/**
 * A network described by JSON layer specs, run one after another (PyTorch's `nn.Sequential`, with
 * the input shape so that every size can be worked out): `createNetwork({ architecture:
 * 'sequential', inputShape, layers })` builds it, and its config is what a model file stores.
 * Children are named by their specs' `name`, else by index, so its state dict matches a PyTorch
 * `nn.Sequential`'s of the same layers. The specs are checked and every shape inferred before
 * anything is allocated (`inferSequentialShapes`); `shapes` keeps that, layer by layer.
 *
 * @example
 * const net = new SequentialNet({
 *   inputShape: [1, 28, 28],
 *   layers: [
 *     { type: 'conv2d', name: 'conv1', outChannels: 8, kernelSize: 5, init: 'he' },
 *     { type: 'relu' },
 *     { type: 'maxPool2d', kernelSize: 2 },
 *     { type: 'flatten' },
 *     { type: 'linear', name: 'fc', outFeatures: 10, init: 'xavier' },
 *   ],
 * });
 * net.shapes.layers.map((l) => l.outputShape); // [[8, 24, 24], [8, 24, 24], [8, 12, 12], [1152], [10]]
 * Object.keys(net.stateDict()); // ['conv1.weight', 'conv1.bias', 'fc.weight', 'fc.bias']
 */
export class SequentialNet extends Network {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'SequentialNet';
  /** Its input shape and validated specs, as plain JSON: what its model file stores. */
  readonly config: SequentialNetConfig;
  readonly inputShape: readonly number[];
  /** Every layer's name, class, input and output shape, state entries and parameter count. */
  readonly shapes: SequentialShapes;
  /** The built layers, in order (named by `shapes.layers[i].name`). */
  readonly layers: readonly Module[];

  /**
   * @param options - The input shape and the layer specs.
   * @param init - `generator` draws the initial weights and the dropout masks (default: the
   *   global one).
   */
  constructor(options: SequentialNetOptions, { generator }: InitOptions = {}) {
    super();
    // Checks every spec and shape (and the size limits) first: nothing is allocated for a bad one.
    this.shapes = inferSequentialShapes(options?.inputShape, options?.layers);
    this.inputShape = this.shapes.inputShape;
    this.config = {
      architecture: 'sequential',
      inputShape: [...this.shapes.inputShape],
      layers: this.shapes.layers.map((layer) => layer.spec),
    };
    this.layers = this.shapes.layers.map((layer) => buildLayer(layer, generator));
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((layer, i) => [this.shapes.layers[i]!.name, layer]);
  }

  /** The layer named `name` (its spec's name, or its index as a string). */
  layer(name: string): Module | undefined {
    const index = this.shapes.layers.findIndex((layer) => layer.name === name);
    return index < 0 ? undefined : this.layers[index];
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return this.applyLayers(x, this.layers);
  }
}

/** One layer from its checked spec and the shape it receives; options left out keep the class's defaults. */
function buildLayer({ spec, inputShape }: LayerShape, generator: InitOptions['generator']): Module {
  const channels = inputShape[0]!;
  switch (spec.type) {
    case 'conv2d':
      return new Conv2d(channels, spec.outChannels, spec.kernelSize, {
        stride: spec.stride,
        padding: spec.padding,
        bias: spec.bias,
        init: spec.init,
        generator,
      });
    case 'maxPool2d':
      return new MaxPool2d(spec.kernelSize, spec.stride, spec.padding);
    case 'avgPool2d':
      return new AvgPool2d(spec.kernelSize, spec.stride, spec.padding);
    case 'linear':
      return new Linear(channels, spec.outFeatures, {
        bias: spec.bias,
        init: spec.init,
        generator,
      });
    case 'dropout':
      return new Dropout(spec.p, spec.style, generator);
    case 'batchNorm': {
      const options = {
        eps: spec.eps,
        momentum: spec.momentum,
        affine: spec.affine,
        unbiasedRunningVar: spec.unbiasedRunningVar,
        initialRunningVar: spec.initialRunningVar,
      };
      return inputShape.length === 3
        ? new BatchNorm2d(channels, options)
        : new BatchNorm1d(channels, options);
    }
    case 'relu':
      return new ReLU();
    case 'sigmoid':
      return new Sigmoid();
    case 'tanh':
      return new Tanh();
    case 'flatten':
      return new Flatten();
  }
}
