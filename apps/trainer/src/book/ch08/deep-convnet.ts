/**
 * `ch08/deep_convnet.py` (section 8.1.1, figure 8-1): the class DeepConvNet, "a network for
 * handwritten digit recognition with 99% accuracy or more": six 3×3 convolutions (16, 16, 32, 32,
 * 64, 64 filters, padding 1, the fourth 2), a max pool after every second, then affine 50, ReLU,
 * dropout 0.5, affine 10, dropout 0.5, with He initialisation. The book's file only defines the
 * class (with `save_params` / `load_params`); the library's `DeepConvNet` is the same network
 * (`dropoutStyle: 'book'`: the book's dropout scales by 0.5 at test time, not while training).
 * Run as a script, it prints the network: the book's `network.params` with their shapes and the
 * layers with their output shapes.
 */
import { DeepConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { printBookParams } from '../networks.js';

export function run(ctx: BookContext): void {
  manualSeed(0);
  // DeepConvNet(input_dim=(1, 28, 28), hidden_size=50, output_size=10), its defaults
  const network = new DeepConvNet({ inputDim: [1, 28, 28], hiddenSize: 50, outputSize: 10 });
  // The class's docstring, as the book writes it.
  ctx.print('conv - relu - conv- relu - pool -');
  ctx.print('conv - relu - conv- relu - pool -');
  ctx.print('conv - relu - conv- relu - pool -');
  ctx.print('affine - relu - dropout - affine - dropout - softmax');
  ctx.print('');
  ctx.print("network.params (the book's keys and shapes; scratchnet's parameters):");
  printBookParams(ctx, network, 'deep-convnet');
  ctx.print('');
  ctx.print(network.summary());
}
