/**
 * `ch05/two_layer_net.py` (section 5.7.2): TwoLayerNet built from layers — Affine1, Relu1,
 * Affine2 in order, and SoftmaxWithLoss last — whose `gradient` is one forward and one backward
 * pass. Prints the layers the book's `OrderedDict` holds with the library's names and shapes,
 * and the loss and gradient shapes for three MNIST images (`--quick` changes nothing here).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { TwoLayerNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { BOOK_PARAMS, bookShape } from '../ch04/two-layer-net.js';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

/** The book's layer names (its OrderedDict) for the library's. */
const BOOK_LAYERS: [string, string][] = [
  ['Affine1', 'fc1'],
  ['Relu1', 'act1'],
  ['Affine2', 'fc2'],
];

export function run(ctx: BookContext): void {
  manualSeed(0);
  const network = new TwoLayerNet({
    inputSize: 784,
    hiddenSize: 50,
    outputSize: 10,
    activation: 'relu',
  });
  const modules = new Map(network.namedChildren());
  for (const [bookName, name] of BOOK_LAYERS) {
    ctx.print(`${bookName}: ${name} (${modules.get(name)!.typeName})`);
  }
  ctx.print('SoftmaxWithLoss: network.loss (softmaxCrossEntropy)');

  const { train } = loadMnist({ normalize: true, oneHotLabel: true });
  const { x, y: t } = train.dataset.batch([0, 1, 2]);
  ctx.print(`loss: ${pyFloat(network.loss(x, t).item())}`);
  for (const [name, grad] of Object.entries(network.gradient(x, t))) {
    ctx.print(`grads['${BOOK_PARAMS[name]}'].shape: ${bookShape(name, grad)}`);
  }
}
