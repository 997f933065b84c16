import type { Tensor } from '@scratchnet/tensor';
import { ReLU } from '../activations.js';
import { Conv2d } from '../conv2d.js';
import { Dropout, type DropoutStyle } from '../dropout.js';
import { Linear } from '../linear.js';
import { MaxPool2d } from '../pooling.js';
import { Network } from './network.js';

export interface DeepConvNetOptions {
  /** [channels, height, width]; the book's network is laid out for 1×28×28. */
  inputDim?: [number, number, number];
  hiddenSize?: number;
  outputSize?: number;
  /**
   * 'book' (default) scales by 0.5 at inference as the book's Dropout does, so that the book's
   * saved weights give the book's accuracy; 'inverted' is PyTorch's convention.
   */
  dropoutStyle?: DropoutStyle;
}

/**
 * The book's DeepConvNet (chapter 8.1): six 3×3 convolutions (16, 16, 32, 32, 64, 64 filters,
 * padding 1 except the fourth, which has 2 so 14 → 16), a 2×2 max pool after every second one
 * (28 → 14 → 8 → 4), affine 1024 → 50 → ReLU → dropout 0.5 → affine 50 → 10 → dropout 0.5; He
 * initialisation; 123,552 parameters; about 99.4% on MNIST.
 */
export class DeepConvNet extends Network {
  readonly config;
  readonly inputShape: readonly number[];
  readonly conv1: Conv2d;
  readonly relu1 = new ReLU();
  readonly conv2: Conv2d;
  readonly relu2 = new ReLU();
  readonly pool1 = new MaxPool2d(2, 2);
  readonly conv3: Conv2d;
  readonly relu3 = new ReLU();
  readonly conv4: Conv2d;
  readonly relu4 = new ReLU();
  readonly pool2 = new MaxPool2d(2, 2);
  readonly conv5: Conv2d;
  readonly relu5 = new ReLU();
  readonly conv6: Conv2d;
  readonly relu6 = new ReLU();
  readonly pool3 = new MaxPool2d(2, 2);
  readonly fc1: Linear;
  readonly relu7 = new ReLU();
  readonly dropout1: Dropout;
  readonly fc2: Linear;
  readonly dropout2: Dropout;

  constructor({
    inputDim = [1, 28, 28],
    hiddenSize = 50,
    outputSize = 10,
    dropoutStyle = 'book',
  }: DeepConvNetOptions = {}) {
    super();
    this.config = { architecture: 'deep-convnet', inputDim, hiddenSize, outputSize, dropoutStyle };
    this.inputShape = inputDim;
    const [channels, height, width] = inputDim;
    const conv = (inC: number, outC: number, padding: number) =>
      new Conv2d(inC, outC, 3, { padding, init: 'he' });
    this.conv1 = conv(channels, 16, 1);
    this.conv2 = conv(16, 16, 1);
    this.conv3 = conv(16, 32, 1);
    this.conv4 = conv(32, 32, 2);
    this.conv5 = conv(32, 64, 1);
    this.conv6 = conv(64, 64, 1);
    // Spatial size after the three pools: /2, then +2 (the padding-2 conv), /2, /2.
    const side = (d: number) => Math.floor(Math.floor((Math.floor(d / 2) + 2) / 2) / 2);
    this.fc1 = new Linear(64 * side(height) * side(width), hiddenSize, { init: 'he' });
    this.dropout1 = new Dropout(0.5, dropoutStyle);
    this.fc2 = new Linear(hiddenSize, outputSize, { init: 'he' });
    this.dropout2 = new Dropout(0.5, dropoutStyle);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    let h = this.relu2.forward(this.conv2.forward(this.relu1.forward(this.conv1.forward(x))));
    h = this.pool1.forward(h);
    h = this.pool2.forward(
      this.relu4.forward(this.conv4.forward(this.relu3.forward(this.conv3.forward(h)))),
    );
    h = this.pool3.forward(
      this.relu6.forward(this.conv6.forward(this.relu5.forward(this.conv5.forward(h)))),
    );
    h = this.dropout1.forward(this.relu7.forward(this.fc1.forward(h.flatten(1))));
    return this.dropout2.forward(this.fc2.forward(h));
  }
}
