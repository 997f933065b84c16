/**
 * What the Train view's charts draw, worked out from the series the worker sends: the lines of
 * the loss and the accuracy chart, the range the accuracy axis zooms to, the test evaluations in
 * step order, and the numbers as the page shows them.
 */
import type uPlot from 'uplot';
import type { Language } from '../i18n/i18n.js';
import type { TrainingSeries } from '../store.js';
import { type AccuracyPoint, accuracyRange } from './train-stats.js';

/** The mean of the first `n` values (0 when there are none). */
export function firstMean(values: readonly number[], n: number): number {
  return mean(values.slice(0, n));
}

/** The mean of the last `n` values (0 when there are none). */
export function lastMean(values: readonly number[], n: number): number {
  return mean(values.slice(-n));
}

function mean(part: readonly number[]): number {
  return part.reduce((a, b) => a + b, 0) / Math.max(1, part.length);
}

/**
 * Values measured at `steps` placed on the chart's x axis, the batch steps 1, 2, 3, …: at the
 * index of their step, null elsewhere (so uPlot skips them) and for a NaN when `dropNaN`. A step
 * past the last batch step is left out.
 */
function atSteps(
  s: TrainingSeries,
  steps: readonly number[],
  values: readonly number[],
  dropNaN: boolean,
): (number | null)[] {
  const out: (number | null)[] = new Array(s.batchStep.length).fill(null);
  steps.forEach((step, i) => {
    const value = values[i]!;
    if (step - 1 < out.length) out[step - 1] = dropNaN && Number.isNaN(value) ? null : value;
  });
  return out;
}

/** Per-epoch values placed at the step where each epoch ended (null elsewhere, so uPlot skips them). */
export function atEpochEnds(s: TrainingSeries, values: readonly number[]): (number | null)[] {
  return atSteps(s, s.epochStep, values, true);
}

/** The loss chart: every batch's loss, and the train and test loss at the epochs' ends. */
export function lossData(s: TrainingSeries): uPlot.AlignedData {
  return [
    s.batchStep,
    s.batchLoss,
    atEpochEnds(s, s.epochTrainLoss),
    atEpochEnds(s, s.epochTestLoss),
  ] as uPlot.AlignedData;
}

/**
 * The accuracy chart: every batch's accuracy, the quick test evaluations, and the train and test
 * accuracy at the epochs' ends.
 */
export function accuracyData(s: TrainingSeries): uPlot.AlignedData {
  return [
    s.batchStep,
    s.batchAccuracy,
    atSteps(s, s.evalStep, s.evalTest, false),
    atEpochEnds(s, s.epochTrain),
    atEpochEnds(s, s.epochTest),
  ] as uPlot.AlignedData;
}

/**
 * The accuracy axis zoomed to the evaluations (the test accuracy every 50 steps and at the
 * epochs' ends); the noisy batch accuracy only while there are fewer than three of them.
 */
export function zoomedAccuracy(s: TrainingSeries): [number, number] {
  const evaluations = s.evalTest.concat(s.epochTest);
  const batch = accuracyRange(s.batchAccuracy);
  if (evaluations.length < 3) return batch;
  const [lo, hi] = accuracyRange(evaluations);
  // The top reaches the batches' accuracies too (they touch 100% long before the test set).
  return [lo, Math.max(hi, batch[1])];
}

/**
 * Every evaluation of the test set so far, in step order; at the same step the quick evaluation
 * comes before the epoch's one.
 */
export function testEvaluations(s: TrainingSeries): AccuracyPoint[] {
  return [
    ...s.evalStep.map((step, i) => ({
      step,
      accuracy: s.evalTest[i]!,
      count: s.evalCount[i] ?? 0,
      order: 0,
    })),
    ...s.epochStep.map((step, i) => ({
      step,
      accuracy: s.epochTest[i]!,
      count: s.epochCount[i] ?? 0,
      order: 1,
    })),
  ]
    .sort((a, b) => a.step - b.step || a.order - b.order)
    .map(({ order: _, ...e }) => e);
}

/** A share as a percentage in the page's language, with `digits` decimals. */
export function formatPercent(value: number, lang: Language, digits = 2): string {
  return value.toLocaleString(lang, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** An accuracy axis tick: a whole percentage without decimals, any other with one. */
export function accuracyTick(value: number, lang: Language): string {
  // A whole percent shows no decimal: 0.55·100 is 55.00000000000001 in floating point.
  const whole = Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
  return formatPercent(value, lang, whole ? 0 : 1);
}
