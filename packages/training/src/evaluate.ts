import type { Batch, BatchSource } from '@scratchnet/datasets';
import type { Module } from '@scratchnet/layers';
import {
  argmax,
  concat,
  noGrad,
  scope,
  softmax,
  softmaxCrossEntropy,
  type Tensor,
} from '@scratchnet/tensor';

/** What `evaluate` measures over a labelled set, in evaluation mode. */
export interface Evaluation {
  /** Samples evaluated (at most `limit`). */
  samples: number;
  /** Mean softmax cross-entropy (without any weight-decay penalty). */
  loss: number;
  /** Fraction of samples whose predicted class is the true one, in [0, 1]. */
  accuracy: number;
  /** Accuracy of each true class (NaN for a class with no sample). */
  perClassAccuracy: number[];
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  /** The predicted class of every sample, in order. */
  predictions: Int32Array;
  /** The true class of every sample, in order. */
  labels: Int32Array;
  /** The largest softmax probability of every sample. */
  confidences: Float32Array;
}

/** How `evaluate` batches and counts. */
export interface EvaluateOptions {
  /** Samples per forward pass; default 100, as the book's `accuracy(x, t, batch_size=100)`. */
  batchSize?: number;
  /** Classes in the confusion matrix; default the network's output width. */
  numClasses?: number;
  /** Only the first `limit` samples (the book's `evaluate_sample_num_per_epoch`). */
  limit?: number;
  /**
   * Called between batches; may return a promise (the CLI yields to the event loop there, so the
   * wasm backend can free what a batch used and signals are seen).
   */
  betweenBatches?: () => void | Promise<void>;
  /**
   * A NaN or infinite output: 'throw' (default) refuses it, naming the first sample that gave
   * one; 'keep' lets it through into the results (the mean loss is then NaN), as a trainer that
   * skips non-finite batches wants its epoch evaluated all the same.
   */
  onNonFinite?: 'throw' | 'keep';
}

/**
 * Runs `model` over a labelled set in evaluation mode (dropout off, batch norm on its running
 * statistics) and without gradients: mean loss, accuracy, per-class accuracy and the confusion
 * matrix, as the book's `network.accuracy(x_test, t_test)` plus what a report needs. Values are
 * read back with one asynchronous read per batch. The model's mode is restored afterwards.
 *
 * @example
 * const { loss, accuracy, confusion } = await evaluate(net, mnist.test.dataset);
 */
export async function evaluate(
  model: Module,
  data: BatchSource<Batch>,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 100;
  const n = Math.min(data.length, options.limit ?? data.length);
  if (n === 0) throw new RangeError('evaluate: the data set is empty');
  const predictions = new Int32Array(n);
  const trueLabels = new Int32Array(n);
  const confidences = new Float32Array(n);
  let lossSum = 0;
  let numClasses = options.numClasses ?? 0;
  const wasTraining = model.training;
  model.eval();
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const { x, y, labels, indices } = data.batch(
        Array.from({ length: size }, (_, i) => start + i),
      );
      // One read per batch: [summed loss, then each sample's class and top probability]. Each
      // batch frees what it made before the next starts: memory is flat with no yield anywhere.
      let packed: Tensor;
      try {
        packed = noGrad(() =>
          scope(() => {
            const logits = model.apply(x); // apply, not forward: hooks on the model run too
            numClasses ||= logits.shape[1]!;
            const loss = softmaxCrossEntropy(logits, labels, 'sum').reshape([1]);
            return concat([argmax(logits, 1), softmax(logits).max(1), loss]);
          }),
        );
      } finally {
        x.dispose();
        y.dispose();
      }
      let values: Float32Array;
      try {
        values = await packed.dataAsync();
      } finally {
        packed.dispose();
      }
      if (options.onNonFinite !== 'keep') {
        checkFinite(
          values,
          size,
          indices ?? Int32Array.from({ length: size }, (_, i) => start + i),
        );
      }
      lossSum += values[2 * size]!;
      for (let i = 0; i < size; i++) {
        predictions[start + i] = values[i]!;
        confidences[start + i] = values[size + i]!;
        trueLabels[start + i] = labels[i]!;
      }
      await options.betweenBatches?.();
    }
  } finally {
    model.train(wasTraining);
  }
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < n; i++) {
    const row = confusion[trueLabels[i]!];
    if (!row) {
      throw new RangeError(
        `evaluate: label ${trueLabels[i]} at sample ${i} is not a class index in [0, ${numClasses})`,
      );
    }
    row[predictions[i]!]!++;
  }
  const correct = confusion.reduce((total, row, c) => total + row[c]!, 0);
  return {
    samples: n,
    loss: lossSum / n,
    accuracy: correct / n,
    perClassAccuracy: confusion.map((row, c) => {
      const total = row.reduce((a, b) => a + b, 0);
      return total === 0 ? Number.NaN : row[c]! / total;
    }),
    confusion,
    predictions,
    labels: trueLabels,
    confidences,
  };
}

/**
 * A NaN or infinite output would turn the mean loss into NaN without a word: refuse it, naming the
 * first sample whose output is not finite (the top probability is NaN exactly when a logit is).
 */
function checkFinite(values: Float32Array, size: number, indices: Int32Array): void {
  if (Number.isFinite(values[2 * size]!)) return;
  let bad = 0;
  while (bad < size - 1 && Number.isFinite(values[size + bad]!)) bad++;
  throw new RangeError(
    `evaluate: the model's output for sample ${indices[bad]} of the data set is not finite (its loss is ${values[2 * size]}): check that sample's values and the model's weights`,
  );
}

/** "98.91%": two decimals, as the book prints accuracies. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** The confusion matrix as an aligned text table (rows: true class, columns: predicted). */
export function formatConfusion(confusion: number[][]): string {
  const width = Math.max(5, ...confusion.flat().map((v) => String(v).length + 1));
  const header = `${'true\\pred'.padEnd(10)}${confusion.map((_, c) => String(c).padStart(width)).join('')}`;
  const rows = confusion.map(
    (row, c) => `${String(c).padEnd(10)}${row.map((v) => String(v).padStart(width)).join('')}`,
  );
  return [header, ...rows].join('\n');
}
