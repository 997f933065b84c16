import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '@scratchnet/layers';
import { type Evaluation, smoothCurve } from '@scratchnet/training';
import { renderLineChart } from '../charts.js';
import { renderFilterGrid, renderImageGrid } from '../pictures.js';
import type { TrainingData } from './data.js';
import type { MetricsLog } from './metrics-log.js';

/** The first convolution's filters, if the network has one (the book's figure 7-24). */
function firstConvFilters(
  network: Network,
): { weights: Float32Array; shape: [number, number, number, number] } | null {
  const state = network.stateDict();
  try {
    const weight = state['conv1.weight'];
    if (weight?.rank !== 4) return null;
    return {
      weights: weight.dataSync(),
      shape: weight.shape as unknown as [number, number, number, number],
    };
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}

/** Written at the start of a run: the filters before training (kept when the run resumes). */
export function writeInitialPictures(
  out: string,
  network: Network,
  { resumed = false } = {},
): Record<string, string> {
  const filters = firstConvFilters(network);
  const path = join(out, 'filters-before.png');
  if (!filters || (resumed && !existsSync(path))) return {};
  if (!resumed) writeFileSync(path, renderFilterGrid(filters.weights, filters.shape));
  return { filtersBefore: path };
}

const MISCLASSIFIED_SHOWN = 30;

/**
 * Written at the end of a run: loss and accuracy curves, the filters after training, and the
 * first misclassified test images with their true and predicted labels (the book's chapter 8).
 */
export async function writeFinalPictures(
  out: string,
  network: Network,
  data: TrainingData,
  finalTest: Evaluation,
  log: MetricsLog,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const steps = log.steps();
  const epochs = log.epochs();
  const stepsPerEpoch = steps.length / Math.max(epochs.length, 1);
  const smoothed = smoothCurve(steps.map((s) => s.loss));
  files.lossCurve = join(out, 'loss.png');
  writeFileSync(
    files.lossCurve,
    await renderLineChart({
      title: `${network.config.architecture}: training loss`,
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        {
          name: 'train (per step, smoothed)',
          points: smoothed.map((loss, i) => [(i + 1) / stepsPerEpoch, loss]),
        },
        {
          name: 'test (per epoch)',
          points: epochs.flatMap((e) => (e.testLoss === undefined ? [] : [[e.epoch, e.testLoss]])),
        },
      ],
      logY: true,
    }),
  );
  files.accuracyCurve = join(out, 'accuracy.png');
  writeFileSync(
    files.accuracyCurve,
    await renderLineChart({
      title: `${network.config.architecture}: accuracy`,
      xLabel: 'epoch',
      yLabel: 'accuracy',
      series: (
        [
          ['train', 'trainAccuracy'],
          ['validation', 'validationAccuracy'],
          ['test', 'testAccuracy'],
        ] as const
      )
        .filter(([, key]) => epochs.some((e) => e[key] !== undefined))
        .map(([name, key]) => ({
          name,
          points: epochs
            .filter((e) => e[key] !== undefined)
            .map((e): [number, number] => [e.epoch, e[key]!]),
        })),
    }),
  );
  const filters = firstConvFilters(network);
  if (filters) {
    files.filtersAfter = join(out, 'filters-after.png');
    writeFileSync(files.filtersAfter, renderFilterGrid(filters.weights, filters.shape));
  }
  const wrong: number[] = [];
  for (let i = 0; i < finalTest.samples && wrong.length < MISCLASSIFIED_SHOWN; i++) {
    if (finalTest.predictions[i] !== finalTest.labels[i]) wrong.push(i);
  }
  if (wrong.length > 0) {
    const batch = data.test.batch(wrong);
    const pixels = batch.x.dataSync();
    batch.x.dispose();
    batch.y.dispose();
    const size = pixels.length / wrong.length;
    files.misclassified = join(out, 'misclassified.png');
    writeFileSync(
      files.misclassified,
      renderImageGrid(
        wrong.map((i, k) => ({
          pixels: pixels.subarray(k * size, (k + 1) * size),
          caption: `true ${data.classNames[batch.labels[k]!]}\npred ${data.classNames[finalTest.predictions[i]!]}`,
          highlight: true,
        })),
        {
          title: `misclassified test images (${finalTest.samples - Math.round(finalTest.accuracy * finalTest.samples)} of ${finalTest.samples})`,
        },
      ),
    );
  }
  return files;
}
