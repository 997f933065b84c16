/** The chapter's figures that several scripts draw alike. */
import { smoothCurve } from '@scratchnet/training';
import { arange, type MarkerShape, PLOT_COLORS, renderPlot } from '../figures.js';

/** A step for about `count` ticks over [0, span], 1, 2 or 5 times a power of ten (or 2.5). */
export function tickStep(span: number, count = 8): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}

/**
 * Figures 6-9 and 6-15: each curve's loss per iteration smoothed by the book's `smooth_curve`,
 * a marker every `markEvery` iterations (`markevery=100`), `plt.ylim(0, yMax)`, a legend.
 */
export function smoothedLossFigure(
  title: string,
  curves: readonly { name: string; losses: readonly number[] }[],
  markers: Readonly<Record<string, MarkerShape>>,
  { yMax, markEvery }: { yMax: number; markEvery: number },
): Uint8Array {
  const iterations = Math.max(...curves.map((c) => c.losses.length));
  const xStep = tickStep(iterations);
  return renderPlot(
    {
      title,
      xLabel: 'iterations',
      yLabel: 'loss',
      xlim: [0, iterations],
      ylim: [0, yMax],
      xTicks: arange(0, iterations + 1e-9, xStep),
      yTicks: arange(0, yMax + 1e-9, tickStep(yMax, 5)),
      legend: 'upper right',
      width: 720,
      height: 520,
    },
    {
      lines: curves.map(({ name, losses }, k) => ({
        points: smoothCurve([...losses]).map((loss, i) => [i, loss] as const),
        color: PLOT_COLORS[k]!,
        label: name,
        marker: markers[name]!,
        markEvery,
      })),
    },
  );
}

/** Figures 6-20, 6-21 and 6-23: train and test accuracy per epoch, markers every 10 epochs. */
export function accuracyFigure(
  title: string,
  trainAccuracy: readonly number[],
  testAccuracy: readonly number[],
): Uint8Array {
  const epochs = trainAccuracy.length;
  const markEvery = 10; // markevery=10
  return renderPlot(
    {
      title,
      xLabel: 'epochs',
      yLabel: 'accuracy',
      xlim: [0, Math.max(1, epochs - 1)],
      ylim: [0, 1],
      xTicks: arange(0, epochs - 1 + 1e-9, tickStep(Math.max(1, epochs - 1))),
      yTicks: arange(0, 1.0001, 0.2),
      legend: 'lower right',
      width: 720,
      height: 520,
    },
    {
      lines: [
        {
          points: trainAccuracy.map((a, i) => [i, a] as const),
          color: PLOT_COLORS[0]!,
          label: 'train',
          marker: 'o',
          markEvery,
        },
        {
          points: testAccuracy.map((a, i) => [i, a] as const),
          color: PLOT_COLORS[1]!,
          label: 'test',
          marker: 's',
          markEvery,
        },
      ],
    },
  );
}
