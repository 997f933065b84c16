/**
 * `ch07/simple_convnet.py` (section 7.5, figure 7-23): the class SimpleConvNet, "Convolution -
 * ReLU - Pooling - Affine - ReLU - Affine - Softmax", with the book's defaults: 30 filters of 5×5
 * (pad 0, stride 1) on 1×28×28, a hidden layer of 100, 10 classes, weights drawn with std 0.01.
 * The book's file only defines the class (its `predict`, `loss`, `accuracy`, `numerical_gradient`,
 * `gradient`, `save_params` and `load_params`); the library's `SimpleConvNet` is the same network.
 * Run as a script, it prints the network: the book's `network.params` with their shapes and the
 * layers with their output shapes.
 */
import { SimpleConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { printBookParams } from '../networks.js';

export function run(ctx: BookContext): void {
  manualSeed(0);
  const network = new SimpleConvNet({
    inputDim: [1, 28, 28],
    filterNum: 30,
    filterSize: 5,
    pad: 0,
    stride: 1,
    hiddenSize: 100,
    outputSize: 10,
    weightInitStd: 0.01,
  });
  ctx.print('conv - relu - pool - affine - relu - affine - softmax');
  ctx.print('');
  ctx.print("network.params (the book's keys and shapes; scratchnet's parameters):");
  printBookParams(ctx, network, 'simple-convnet');
  ctx.print('');
  ctx.print(network.summary());
}
