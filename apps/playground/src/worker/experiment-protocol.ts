import type { HistogramActivation, RaceOptimizer, WeightInitName } from '@scratchnet/training';

/** A point of a path on a plane. */
export type Point = [number, number];

/** The regularisation of the overfitting experiment (section 6.4). */
export type Regularizer = 'none' | 'weightDecay' | 'dropout';

/**
 * An experiment of the book, with its settings (each view starts from the book's; see
 * `BOOK_DEFAULTS`). The first three take well under a second; the MNIST ones train for a while,
 * sending their curves as they grow.
 */
export type ExperimentRequest =
  /** Section 4.4.1, figure 4-10: gradient descent on x0² + x1². */
  | { kind: 'gradientDescent'; start: Point; lr: number; steps: number }
  /** Section 6.1.7, figure 6-8: the four optimizers on x²/20 + y². */
  | { kind: 'race'; lrs: Record<RaceOptimizer, number>; steps: number }
  /** Section 6.2.2, figures 6-10 to 6-14: every initial weight's histograms for one activation. */
  | { kind: 'histograms'; activation: HistogramActivation }
  /** Section 6.2.4, figure 6-15: std 0.01, Xavier and He training on MNIST. */
  | { kind: 'weightInit'; iterations: number }
  /** Section 6.3.2, figure 6-19: with and without batch norm at several weight scales. */
  | { kind: 'batchNorm'; weightScales: number[]; epochs: number }
  /** Section 6.4, figures 6-20, 6-21, 6-23: 300 images, train and test accuracy. */
  | { kind: 'overfit'; regularizer: Regularizer; epochs: number };

export type ExperimentKind = ExperimentRequest['kind'];
export type RequestOf<K extends ExperimentKind> = Extract<ExperimentRequest, { kind: K }>;

/** The kinds that train on MNIST: the worker loads it for the first of them, once. */
export const MNIST_KINDS: readonly ExperimentKind[] = ['weightInit', 'batchNorm', 'overfit'];

/** The book's settings of figure 4-10 (`ch04/gradient_method.py`): from (−3, 4), lr 0.1, 20 steps. */
export const BOOK_GRADIENT_DESCENT = { start: [-3, 4] as Point, lr: 0.1, steps: 20 };

/** `ch06/weight_init_compare.py`'s 2000 iterations. */
export const BOOK_WEIGHT_INIT_ITERATIONS = 2000;

/** `ch06/batch_norm_test.py`'s 20 epochs (at each of `BATCH_NORM_WEIGHT_SCALES`). */
export const BOOK_BATCH_NORM_EPOCHS = 20;

/** The overfitting runs as the book's scripts set them. */
export const OVERFIT_SETTINGS: Record<
  Regularizer,
  { epochs: number; weightDecayLambda: number; dropoutRatio?: number; figure: string }
> = {
  none: { epochs: 201, weightDecayLambda: 0, figure: '6-20' },
  weightDecay: { epochs: 201, weightDecayLambda: 0.1, figure: '6-21' },
  dropout: { epochs: 301, weightDecayLambda: 0, dropoutRatio: 0.2, figure: '6-23' },
};

/** One initial weight's histograms (`activationHistograms`). */
export interface HistogramPanel {
  init: WeightInitName;
  layers: number[][];
  zeros: number[];
  below: number[];
  above: number[];
  lo: number;
  hi: number;
}

/** What an experiment sends as it goes: a whole result (the quick ones) or the next points. */
export type ExperimentUpdate =
  /** The point before each step and the last one: steps + 1 points. */
  | { kind: 'gradientDescent'; path: Point[] }
  | { kind: 'race'; paths: Record<RaceOptimizer, Point[]> }
  | { kind: 'histograms'; activation: HistogramActivation; panels: HistogramPanel[] }
  /** Losses of iterations `first`, `first + 1`, … by the book's names (std=0.01, Xavier, He). */
  | { kind: 'weightInit'; first: number; losses: Record<string, number[]> }
  | {
      kind: 'batchNorm';
      index: number;
      weightScale: number;
      epoch: number;
      trainAccuracy: number;
      batchNormTrainAccuracy: number;
    }
  | { kind: 'overfit'; epoch: number; trainAccuracy: number; testAccuracy: number };

export type UpdateOf<K extends ExperimentKind> = Extract<ExperimentUpdate, { kind: K }>;

/** Messages from the page to the experiment worker. */
export type ToExperimentWorker =
  | { type: 'init'; base: string; threads: number }
  /** Starts an experiment; a new MNIST one first stops the one running (one trains at a time). */
  | { type: 'run'; id: number; request: ExperimentRequest }
  | { type: 'cancel'; id: number };

/** Messages from the experiment worker to the page. */
export type FromExperimentWorker =
  | { type: 'ready'; backend: string; threads: number; backendError?: string }
  /** MNIST's download, in bytes. */
  | { type: 'mnist'; loaded: number; total: number }
  | { type: 'update'; id: number; update: ExperimentUpdate }
  /** The experiment ended: ran to its end, was cancelled, or failed. */
  | { type: 'end'; id: number; how: 'done' | 'cancelled' | 'error'; message?: string };
