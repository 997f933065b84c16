/**
 * The book's `common/trainer.py` `Trainer(network, x_train, t_train, x_test, t_test, epochs,
 * mini_batch_size, optimizer='Adam', optimizer_param={'lr': 0.001},
 * evaluate_sample_num_per_epoch)` with `verbose=True`, as chapters 7 and 8 train with it, on
 * @scratchnet/training's Trainer. It prints what the book's prints, in its order:
 *
 *   train loss:2.2994…                          (every step)
 *   === epoch:1, train acc:0.107, test acc:0.11 ===
 *   …
 *   =============== Final Test Accuracy ===============
 *   test acc:0.9887
 *
 * As the book's: batches drawn with replacement (`np.random.choice`), its Adam (ε added before
 * the bias correction), and the accuracies measured at the start of each epoch, after its first
 * step (steps 1, 601, 1201, … for MNIST), on the first `evaluateSampleNumPerEpoch` training and
 * test images; the final accuracy on the whole test set. One difference: the book prints the loss
 * of the batch computed again after the step's update (`network.loss` after `optimizer.update`);
 * this prints the loss the step trained on, before its update (no extra forward pass).
 */
import type { ArrayDataset } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import { evaluate, Trainer } from '@scratchnet/training';
import type { BookContext } from './context.js';
import { pyFloat } from './context.js';

export interface BookTrainerOptions {
  epochs: number;
  miniBatchSize: number;
  /** Adam's learning rate (`optimizer_param={'lr': …}`). */
  lr: number;
  /** The book's `evaluate_sample_num_per_epoch`; all of them when not given. */
  evaluateSampleNumPerEpoch?: number;
  /** Seeds the batches; the network's initial weights come from the caller's `manualSeed`. */
  seed?: number;
}

export interface BookTrainerResult {
  /** `trainer.train_acc_list`, one per epoch. */
  trainAccList: number[];
  testAccList: number[];
  /** The final accuracy on the whole test set. */
  testAcc: number;
}

export async function trainAsTheBook(
  ctx: BookContext,
  network: Network,
  train: ArrayDataset,
  test: ArrayDataset,
  { epochs, miniBatchSize, lr, evaluateSampleNumPerEpoch, seed = 1 }: BookTrainerOptions,
): Promise<BookTrainerResult> {
  // iter_per_epoch = max(train_size / mini_batch_size, 1); max_iter = int(epochs * iter_per_epoch)
  const iterPerEpoch = Math.max(train.length / miniBatchSize, 1);
  const maxIter = Math.trunc(epochs * iterPerEpoch);
  const result: BookTrainerResult = { trainAccList: [], testAccList: [], testAcc: Number.NaN };
  const limit = evaluateSampleNumPerEpoch;

  const trainer: Trainer = new Trainer(network, train, {
    optimizer: new Adam(network.parameters(), { lr, epsBeforeCorrection: true }),
    epochs: Math.ceil(maxIter / Math.ceil(train.length / miniBatchSize)),
    batchSize: miniBatchSize,
    sampling: 'replacement',
    seed,
    trainEvalSamples: 0, // measured below, where the book measures
    logEvery: 1, // the book prints every step's loss
    callbacks: {
      onLog: ({ losses }) => {
        for (const loss of losses) ctx.print(`train loss:${pyFloat(loss)}`);
      },
      onStepEnd: async ({ step }) => {
        // The book checks `current_iter % iter_per_epoch == 0` after each update, from 0.
        if ((step - 1) % iterPerEpoch === 0) {
          const trainAcc = (await evaluate(network, train, { limit })).accuracy;
          const testAcc = (await evaluate(network, test, { limit })).accuracy;
          result.trainAccList.push(trainAcc);
          result.testAccList.push(testAcc);
          ctx.print(
            `=== epoch:${result.trainAccList.length}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)} ===`,
          );
        }
        if (step === maxIter) trainer.stop();
      },
    },
  });
  await trainer.fit();

  result.testAcc = (await evaluate(network, test)).accuracy;
  ctx.print('=============== Final Test Accuracy ===============');
  ctx.print(`test acc:${pyFloat(result.testAcc)}`);
  return result;
}
