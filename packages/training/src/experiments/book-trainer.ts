import type { Batch, BatchSource } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import type { Optimizer } from '@scratchnet/optimizers';
import { noGrad, type Tensor } from '@scratchnet/tensor';
import { evaluate } from '../evaluate.js';
import { Trainer } from '../trainer.js';

/** The arguments of the book's `Trainer` (common/trainer.py) that `runBookTrainer` takes. */
export interface BookTrainerOptions {
  /** The optimizer over the network's parameters (`optimizer='sgd', optimizer_param={'lr': …}`). */
  optimizer: Optimizer;
  /** Default 20. */
  epochs?: number;
  /** Default 100. */
  miniBatchSize?: number;
  /** Only the first this many training and test samples are scored per epoch; default all. */
  evaluateSampleNumPerEpoch?: number;
  /**
   * Steps to take; default the Trainer's `int(epochs * iter_per_epoch)`. The book's own loops
   * (`overfit_weight_decay.py`) stop at the last evaluation instead: `(epochs − 1) ·
   * iter_per_epoch + 1`.
   */
  iterations?: number;
  /** Seeds the batches; the initial weights come from the caller's `manualSeed`. */
  seed?: number;
  /**
   * Cancels the training: checked after every step, it rejects with the signal's reason (an
   * `AbortError` unless given), without the final evaluation.
   */
  signal?: AbortSignal;
  /**
   * Every step's `train loss` (1-based step), as the book's Trainer prints it: the loss of the
   * step's batch computed again after the update, in evaluation mode (its `train_flg=False`:
   * dropout off, batch norm on its running statistics), weight decay included. It costs one more
   * forward pass per step, made only when this is given.
   */
  onLoss?(loss: number, step: number): void | Promise<void>;
  /** After each evaluation; `epoch` counts from 1, as the book's Trainer prints it. */
  onEpoch?(info: {
    epoch: number;
    step: number;
    trainAccuracy: number;
    testAccuracy: number;
  }): void | Promise<void>;
}

/** The accuracies the book's `Trainer` records (fractions in [0, 1]). */
export interface BookTrainerResult {
  /** The book's `train_acc_list`: the training accuracy at each evaluation. */
  trainAccuracy: number[];
  /** The book's `test_acc_list`: the test accuracy at each evaluation. */
  testAccuracy: number[];
  /** The accuracy on the whole test set after the last step. */
  finalTestAccuracy: number;
}

/**
 * The book's `common/trainer.py` `Trainer(...).train()` on the library's `Trainer`, measured when
 * the book measures: batches drawn with replacement (`np.random.choice`), and the training and
 * test accuracy after the first step of every epoch (`current_iter % iter_per_epoch == 0`, from
 * step 1), then the whole test set's at the end. The chapter-6 scripts `overfit_dropout.py` and
 * `hyperparameter_optimization.py` train with it, and `onLoss` gets the loss its `train_step`
 * prints.
 */
export async function runBookTrainer(
  network: Network,
  train: BatchSource<Batch>,
  test: BatchSource<Batch>,
  {
    optimizer,
    epochs = 20,
    miniBatchSize = 100,
    evaluateSampleNumPerEpoch,
    iterations,
    seed = 1,
    signal,
    onLoss,
    onEpoch,
  }: BookTrainerOptions,
): Promise<BookTrainerResult> {
  // iter_per_epoch = max(train_size / mini_batch_size, 1); max_iter = int(epochs * iter_per_epoch)
  const iterPerEpoch = Math.max(train.length / miniBatchSize, 1);
  const maxIter = iterations ?? Math.trunc(epochs * iterPerEpoch);
  const batchesPerEpoch = Math.ceil(train.length / miniBatchSize);
  const limit = evaluateSampleNumPerEpoch;
  const result: BookTrainerResult = {
    trainAccuracy: [],
    testAccuracy: [],
    finalTestAccuracy: Number.NaN,
  };
  const trainer: Trainer = new Trainer(network, train, {
    optimizer,
    epochs: Math.max(1, Math.ceil(maxIter / batchesPerEpoch)),
    batchSize: miniBatchSize,
    sampling: 'replacement',
    seed,
    trainEvalSamples: 0, // measured below, where the book measures
    logEvery: batchesPerEpoch,
    callbacks: {
      onStepEnd: async ({ step, batch }) => {
        if (onLoss) await onLoss(await lossAfterUpdate(network, batch), step);
        if (signal?.aborted) return;
        if ((step - 1) % iterPerEpoch === 0) {
          const trainAccuracy = (await evaluate(network, train, { limit })).accuracy;
          const testAccuracy = (await evaluate(network, test, { limit })).accuracy;
          result.trainAccuracy.push(trainAccuracy);
          result.testAccuracy.push(testAccuracy);
          const epoch = result.trainAccuracy.length;
          await onEpoch?.({ epoch, step, trainAccuracy, testAccuracy });
        }
        if (step >= maxIter) trainer.stop();
      },
    },
  });
  signal?.throwIfAborted();
  const abort = () => trainer.stop();
  signal?.addEventListener('abort', abort);
  try {
    if (maxIter > 0) await trainer.fit();
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  signal?.throwIfAborted();
  result.finalTestAccuracy = (await evaluate(network, test)).accuracy;
  return result;
}

/** The book's `loss = self.network.loss(x_batch, t_batch)` after the update: evaluation mode. */
async function lossAfterUpdate(
  network: Network,
  { x, labels }: { x: Tensor; labels: Int32Array },
): Promise<number> {
  network.eval();
  try {
    const loss = noGrad(() => network.loss(x, labels));
    try {
      return await loss.itemAsync();
    } finally {
      loss.dispose();
    }
  } finally {
    network.train();
  }
}
