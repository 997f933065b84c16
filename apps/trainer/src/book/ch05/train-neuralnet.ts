/**
 * `ch05/train_neuralnet.py` (section 5.7.4): the training of `ch04/train-neuralnet` (10,000
 * steps of 100, learning rate 0.1, accuracy every epoch) on chapter 5's TwoLayerNet, ReLU and
 * backpropagation. It prints `train_acc test_acc` per line and draws no figure, as the book's.
 */

import { trainNeuralnet } from '../ch04/train-neuralnet.js';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

export async function run(ctx: BookContext): Promise<void> {
  await trainNeuralnet(
    ctx,
    'relu',
    (trainAcc, testAcc) => ctx.print(`${pyFloat(trainAcc)} ${pyFloat(testAcc)}`), // print(train_acc, test_acc)
  );
}
