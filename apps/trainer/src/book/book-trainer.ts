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
 * The training is @scratchnet/training's `runBookTrainer`, as the book's: batches drawn with
 * replacement (`np.random.choice`), the accuracies measured at the start of each epoch, after its
 * first step (steps 1, 601, 1201, … for MNIST), on the first `evaluateSampleNumPerEpoch` training
 * and test images, the final accuracy on the whole test set; with the book's Adam (ε added before
 * the bias correction). `train loss` is the book's too: the step's batch computed again after the
 * update, in evaluation mode (`network.loss` after `optimizer.update`, `train_flg=False`).
 */
import type { ArrayDataset } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import { runBookTrainer } from '@scratchnet/training';
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
  const result = await runBookTrainer(network, train, test, {
    optimizer: new Adam(network.parameters(), { lr, epsBeforeCorrection: true }),
    epochs,
    miniBatchSize,
    evaluateSampleNumPerEpoch,
    seed,
    onLoss: (loss) => ctx.print(`train loss:${pyFloat(loss)}`),
    onEpoch: ({ epoch, trainAccuracy, testAccuracy }) =>
      ctx.print(
        `=== epoch:${epoch}, train acc:${pyFloat(trainAccuracy)}, test acc:${pyFloat(testAccuracy)} ===`,
      ),
  });
  ctx.print('=============== Final Test Accuracy ===============');
  ctx.print(`test acc:${pyFloat(result.finalTestAccuracy)}`);
  return {
    trainAccList: result.trainAccuracy,
    testAccList: result.testAccuracy,
    testAcc: result.finalTestAccuracy,
  };
}
