/**
 * `ch04/two_layer_net.py` (section 4.5.1): the book's TwoLayerNet class, used as the text of
 * 4.5.1 uses it: its parameter shapes, a prediction for 100 random images, and the numerical
 * gradient for 100 random "labels" — one array per parameter, each the shape of its parameter.
 *
 * The book's `params['W1']` is (input, hidden); the library's `fc1.weight` stores its
 * transpose [hidden, input], as PyTorch's Linear does; the shapes are printed the book's way.
 * The numerical gradient is the slow part, as the book warns: two forward passes of 100 images
 * per parameter value, 159,020 passes for 784-100-10 (15 minutes on one thread here; chapter 5's
 * backpropagation does the same in one pass). `--quick` uses 3 hidden units and 3 images.
 */
import { TwoLayerNet } from '@scratchnet/layers';
import { manualSeed, rand, type Tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';

/** The book's key for each parameter and its shape as the book stores it: W (in, out). */
export const BOOK_PARAMS: Record<string, string> = {
  'fc1.weight': 'W1',
  'fc1.bias': 'b1',
  'fc2.weight': 'W2',
  'fc2.bias': 'b2',
};

/** A shape as NumPy prints it, the book's way round: `(784, 100)`, `(100,)`. */
export function bookShape(name: string, tensor: Tensor): string {
  const shape = name.endsWith('.weight') ? [...tensor.shape].reverse() : [...tensor.shape];
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function run(ctx: BookContext): void {
  manualSeed(0);
  const hiddenSize = ctx.quick ? 3 : 100;
  const batch = ctx.quick ? 3 : 100;
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize, outputSize: 10 });
  for (const [name, p] of net.namedParameters()) {
    ctx.print(`net.params['${BOOK_PARAMS[name]}'].shape: ${bookShape(name, p)}`);
  }

  const x = rand([batch, 784]); // dummy input data (100 images)
  const y = net.predict(x);
  ctx.print(`y.shape: (${y.shape.join(', ')})`);

  const t = rand([batch, 10]); // dummy correct labels (100 images)
  const grads = net.numericalGradient(x, t); // the gradients
  for (const [name, grad] of Object.entries(grads)) {
    ctx.print(`grads['${BOOK_PARAMS[name]}'].shape: ${bookShape(name, grad)}`);
  }
}
