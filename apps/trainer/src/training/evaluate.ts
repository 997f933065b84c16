import type { Batch, BatchSource } from '@scratchnet/datasets';
import type { Network } from '@scratchnet/layers';
import { noGrad, predictClasses, softmax, softmaxCrossEntropy } from '@scratchnet/tensor';

export interface Evaluation {
  samples: number;
  loss: number;
  accuracy: number;
  /** Accuracy of each true class. */
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

/**
 * Runs `network` over a dataset in evaluation mode and without gradients: mean loss, accuracy,
 * per-class accuracy and the confusion matrix. The network's mode is restored afterwards.
 */
export async function evaluate(
  network: Network,
  dataset: BatchSource<Batch>,
  numClasses: number,
  batchSize = 100,
): Promise<Evaluation> {
  const n = dataset.length;
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const predictions = new Int32Array(n);
  const trueLabels = new Int32Array(n);
  const confidences = new Float32Array(n);
  let lossSum = 0;
  const wasTraining = network.training;
  network.eval();
  try {
    for (let start = 0; start < n; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const { x, labels } = dataset.batch(indices);
      noGrad(() => {
        const logits = network.forward(x);
        lossSum += softmaxCrossEntropy(logits, labels, 'sum').item();
        const probabilities = softmax(logits).max(1).dataSync();
        predictClasses(logits).forEach((p, i) => {
          predictions[start + i] = p;
          trueLabels[start + i] = labels[i]!;
          confidences[start + i] = probabilities[i]!;
          confusion[labels[i]!]![p]!++;
        });
      });
      // A turn of the event loop between batches lets the wasm backend free what the batch used
      // (its memory is released by FinalizationRegistry, which runs between tasks).
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    network.train(wasTraining);
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

/** "98.91%" — two decimals, as the book prints accuracies. */
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
