import type { Tensor } from '@scratchnet/tensor';
import { ReLU } from '../activations.js';
import { Conv2d } from '../conv2d.js';
import type { Init } from '../init.js';
import { Linear } from '../linear.js';
import { MaxPool2d } from '../pooling.js';
import { inferSequentialShapes, type LayerSpec, noSequentialLimits } from './layer-specs.js';
import { Network } from './network.js';
import { withDefaults } from './with-defaults.js';

/**
 * Options of `SimpleConvNet`: the book's constructor arguments (its `conv_param` dict spread out).
 */
export interface SimpleConvNetOptions {
  /** [channels, height, width] of one input image. */
  inputDim?: [number, number, number];
  /** Number of filters of conv1 (the book's `filter_num`, 30). */
  filterNum?: number;
  /** Filter height and width (the book's `filter_size`, 5). */
  filterSize?: number;
  /** Padding of conv1 (the book's `pad`, 0). */
  pad?: number;
  /** Stride of conv1 (the book's `stride`, 1). */
  stride?: number;
  /** Units of the hidden affine layer fc1 (the book's `hidden_size`, 100). */
  hiddenSize?: number;
  /** Classes (the book's `output_size`, 10). */
  outputSize?: number;
  /** The book's `weight_init_std`: a fixed std of 0.01, or 'he' / 'xavier'. */
  weightInitStd?: number | 'he' | 'xavier';
}

/** The book's `SimpleConvNet.__init__` defaults (ch07/simple_convnet.py). */
const SIMPLE_CONV_NET_DEFAULTS = {
  inputDim: [1, 28, 28],
  filterNum: 30,
  filterSize: 5,
  pad: 0,
  stride: 1,
  hiddenSize: 100,
  outputSize: 10,
  weightInitStd: 0.01,
} satisfies Required<SimpleConvNetOptions>;

/**
 * SimpleConvNet as layer specs, with its own layer names (so the same state dict): its sizes, and
 * `networkStateShapes`', are inferred from these.
 */
export function simpleConvNetSpecs(options: SimpleConvNetOptions = {}): LayerSpec[] {
  const { filterNum, filterSize, pad, stride, hiddenSize, outputSize, weightInitStd } =
    withDefaults(SIMPLE_CONV_NET_DEFAULTS, options);
  const init: Init = typeof weightInitStd === 'number' ? { std: weightInitStd } : weightInitStd;
  return [
    {
      type: 'conv2d',
      name: 'conv1',
      outChannels: filterNum,
      kernelSize: filterSize,
      stride,
      padding: pad,
      init,
    },
    { type: 'relu', name: 'relu1' },
    { type: 'maxPool2d', name: 'pool1', kernelSize: 2, stride: 2 },
    { type: 'flatten', name: 'flatten' },
    { type: 'linear', name: 'fc1', outFeatures: hiddenSize, init },
    { type: 'relu', name: 'relu2' },
    { type: 'linear', name: 'fc2', outFeatures: outputSize, init },
  ];
}

/**
 * The book's SimpleConvNet (chapter 7.5): conv → ReLU → 2×2 max pool → affine → ReLU → affine.
 * With the defaults (30 filters of 5×5 on 1×28×28, hidden 100, 10 classes) it has 433,890
 * parameters and reaches about 98.9% on MNIST.
 *
 * The book's W1..W3 / b1..b3 are conv1.{weight,bias}, fc1 and fc2 (with the affine weights
 * transposed to PyTorch's [out, in]).
 */
export class SimpleConvNet extends Network {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'SimpleConvNet';
  /** Its options, defaults filled in, as plain JSON: what its model file stores. */
  readonly config: {
    /** `'simple-convnet'`. */
    architecture: string;
    /** [channels, height, width] of one input image. */
    inputDim: [number, number, number];
    /** Filters of conv1. */
    filterNum: number;
    /** Filter height and width. */
    filterSize: number;
    /** Padding of conv1. */
    pad: number;
    /** Stride of conv1. */
    stride: number;
    /** Units of fc1. */
    hiddenSize: number;
    /** Classes. */
    outputSize: number;
    /** The weights' initial std, or 'he' / 'xavier'. */
    weightInitStd: number | 'he' | 'xavier';
  };
  readonly inputShape: readonly number[];
  /** The convolution (the book's Conv1, W1 and b1). */
  readonly conv1: Conv2d;
  /** ReLU after conv1 (the book's Relu1). */
  readonly relu1 = new ReLU();
  /** 2×2 max pool, stride 2 (the book's Pool1). */
  readonly pool1 = new MaxPool2d(2, 2);
  /** Affine to the hidden units (the book's Affine1, W2 and b2). */
  readonly fc1: Linear;
  /** ReLU after fc1 (the book's Relu2). */
  readonly relu2 = new ReLU();
  /** Affine to the class scores (the book's Affine2, W3 and b3). */
  readonly fc2: Linear;

  constructor(options: SimpleConvNetOptions = {}) {
    super();
    const { inputDim, filterNum, filterSize, pad, stride, hiddenSize, outputSize, weightInitStd } =
      withDefaults(SIMPLE_CONV_NET_DEFAULTS, options);
    this.config = {
      architecture: 'simple-convnet',
      inputDim,
      filterNum,
      filterSize,
      pad,
      stride,
      hiddenSize,
      outputSize,
      weightInitStd,
    };
    this.inputShape = inputDim;
    const init: Init = typeof weightInitStd === 'number' ? { std: weightInitStd } : weightInitStd;
    const [channels] = inputDim;
    // fc1's inputs follow from the layers before it: the same inference as networkStateShapes.
    const { state } = inferSequentialShapes(inputDim, simpleConvNetSpecs(this.config), {
      source: 'simple-convnet',
      limits: noSequentialLimits,
    });
    const poolOut = state['fc1.weight']![1]!;
    this.conv1 = new Conv2d(channels, filterNum, filterSize, { stride, padding: pad, init });
    this.fc1 = new Linear(poolOut, hiddenSize, { init });
    this.fc2 = new Linear(hiddenSize, outputSize, { init });
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return this.applyLayers(x, [
      this.conv1,
      this.relu1,
      this.pool1,
      (h) => h.flatten(1),
      this.fc1,
      this.relu2,
      this.fc2,
    ]);
  }
}
