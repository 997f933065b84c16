import type { Tensor } from '@scratchnet/tensor';
import { ReLU } from '../activations.js';
import { Conv2d } from '../conv2d.js';
import { Dropout, type DropoutStyle } from '../dropout.js';
import { Linear } from '../linear.js';
import { MaxPool2d } from '../pooling.js';
import { inferSequentialShapes, type LayerSpec, noSequentialLimits } from './layer-specs.js';
import { Network } from './network.js';

/** Options of `DeepConvNet`: the book's constructor arguments. */
export interface DeepConvNetOptions {
  /** [channels, height, width]; the book's network is laid out for 1×28×28. */
  inputDim?: [number, number, number];
  /** Units of the hidden affine layer fc1 (the book's `hidden_size`, 50). */
  hiddenSize?: number;
  /** Classes (the book's `output_size`, 10). */
  outputSize?: number;
  /**
   * 'book' (default) scales by 0.5 at inference as the book's Dropout does, so that the book's
   * saved weights give the book's accuracy; 'inverted' is PyTorch's convention.
   */
  dropoutStyle?: DropoutStyle;
}

/**
 * DeepConvNet as layer specs, with its own layer names (so the same state dict): its sizes, and
 * `networkStateShapes`', are inferred from these.
 */
export function deepConvNetSpecs({
  hiddenSize = 50,
  outputSize = 10,
  dropoutStyle = 'book',
}: DeepConvNetOptions = {}): LayerSpec[] {
  const conv = (i: number, outChannels: number, padding: number): LayerSpec[] => [
    { type: 'conv2d', name: `conv${i}`, outChannels, kernelSize: 3, padding, init: 'he' },
    { type: 'relu', name: `relu${i}` },
  ];
  const pool = (i: number): LayerSpec => ({ type: 'maxPool2d', name: `pool${i}`, kernelSize: 2 });
  return [
    ...conv(1, 16, 1),
    ...conv(2, 16, 1),
    pool(1),
    ...conv(3, 32, 1),
    ...conv(4, 32, 2),
    pool(2),
    ...conv(5, 64, 1),
    ...conv(6, 64, 1),
    pool(3),
    { type: 'flatten', name: 'flatten' },
    { type: 'linear', name: 'fc1', outFeatures: hiddenSize, init: 'he' },
    { type: 'relu', name: 'relu7' },
    { type: 'dropout', name: 'dropout1', p: 0.5, style: dropoutStyle },
    { type: 'linear', name: 'fc2', outFeatures: outputSize, init: 'he' },
    { type: 'dropout', name: 'dropout2', p: 0.5, style: dropoutStyle },
  ];
}

/**
 * The book's DeepConvNet (chapter 8.1): six 3×3 convolutions (16, 16, 32, 32, 64, 64 filters,
 * padding 1 except the fourth, which has 2 so 14 → 16), a 2×2 max pool after every second one
 * (28 → 14 → 8 → 4), affine 1024 → 50 → ReLU → dropout 0.5 → affine 50 → 10 → dropout 0.5; He
 * initialisation; 123,552 parameters; about 99.4% on MNIST.
 */
export class DeepConvNet extends Network {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'DeepConvNet';
  /** The options it was built with, as plain JSON: what its model file stores. */
  readonly config: {
    /** `'deep-convnet'`. */
    architecture: string;
    /** [channels, height, width] of one input image. */
    inputDim: [number, number, number];
    /** Units of fc1. */
    hiddenSize: number;
    /** Classes. */
    outputSize: number;
    /** How the dropout layers scale. */
    dropoutStyle: DropoutStyle;
  };
  readonly inputShape: readonly number[];
  /** 3×3 convolution, 16 filters, padding 1. */
  readonly conv1: Conv2d;
  /** ReLU after conv1. */
  readonly relu1 = new ReLU();
  /** 3×3 convolution, 16 filters, padding 1. */
  readonly conv2: Conv2d;
  /** ReLU after conv2. */
  readonly relu2 = new ReLU();
  /** 2×2 max pool: 28 → 14. */
  readonly pool1 = new MaxPool2d(2, 2);
  /** 3×3 convolution, 32 filters, padding 1. */
  readonly conv3: Conv2d;
  /** ReLU after conv3. */
  readonly relu3 = new ReLU();
  /** 3×3 convolution, 32 filters, padding 2: 14 → 16. */
  readonly conv4: Conv2d;
  /** ReLU after conv4. */
  readonly relu4 = new ReLU();
  /** 2×2 max pool: 16 → 8. */
  readonly pool2 = new MaxPool2d(2, 2);
  /** 3×3 convolution, 64 filters, padding 1. */
  readonly conv5: Conv2d;
  /** ReLU after conv5. */
  readonly relu5 = new ReLU();
  /** 3×3 convolution, 64 filters, padding 1. */
  readonly conv6: Conv2d;
  /** ReLU after conv6. */
  readonly relu6 = new ReLU();
  /** 2×2 max pool: 8 → 4. */
  readonly pool3 = new MaxPool2d(2, 2);
  /** Affine 64·4·4 = 1024 → hiddenSize. */
  readonly fc1: Linear;
  /** ReLU after fc1. */
  readonly relu7 = new ReLU();
  /** Dropout 0.5 after relu7. */
  readonly dropout1: Dropout;
  /** Affine hiddenSize → outputSize. */
  readonly fc2: Linear;
  /** Dropout 0.5 on the logits, as in the book. */
  readonly dropout2: Dropout;

  /** @param options - The book's constructor arguments: see {@link DeepConvNetOptions}. */
  constructor({
    inputDim = [1, 28, 28],
    hiddenSize = 50,
    outputSize = 10,
    dropoutStyle = 'book',
  }: DeepConvNetOptions = {}) {
    super();
    this.config = { architecture: 'deep-convnet', inputDim, hiddenSize, outputSize, dropoutStyle };
    this.inputShape = inputDim;
    const [channels] = inputDim;
    const conv = (inC: number, outC: number, padding: number) =>
      new Conv2d(inC, outC, 3, { padding, init: 'he' });
    this.conv1 = conv(channels, 16, 1);
    this.conv2 = conv(16, 16, 1);
    this.conv3 = conv(16, 32, 1);
    this.conv4 = conv(32, 32, 2);
    this.conv5 = conv(32, 64, 1);
    this.conv6 = conv(64, 64, 1);
    // fc1's inputs follow from the layers before it (28 → 14 → 16 → 8 → 4 with the padding-2
    // conv4): the same inference as networkStateShapes.
    const { state } = inferSequentialShapes(inputDim, deepConvNetSpecs(this.config), {
      source: 'deep-convnet',
      limits: noSequentialLimits,
    });
    this.fc1 = new Linear(state['fc1.weight']![1]!, hiddenSize, { init: 'he' });
    this.dropout1 = new Dropout(0.5, dropoutStyle);
    this.fc2 = new Linear(hiddenSize, outputSize, { init: 'he' });
    this.dropout2 = new Dropout(0.5, dropoutStyle);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return this.applyLayers(x, [
      this.conv1,
      this.relu1,
      this.conv2,
      this.relu2,
      this.pool1,
      this.conv3,
      this.relu3,
      this.conv4,
      this.relu4,
      this.pool2,
      this.conv5,
      this.relu5,
      this.conv6,
      this.relu6,
      this.pool3,
      (h) => h.flatten(1),
      this.fc1,
      this.relu7,
      this.dropout1,
      this.fc2,
      this.dropout2,
    ]);
  }
}
