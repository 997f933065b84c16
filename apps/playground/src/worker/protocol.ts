import type { DivergenceKind } from '@scratchnet/training';
import type { InsideLayer } from '../lib/network.js';
import type { TrainSetup } from '../lib/setup.js';

/** Messages from the page to the training worker. */
export type ToWorker =
  | { type: 'init'; base: string; threads: number }
  | { type: 'setup'; setup: TrainSetup }
  /** Start or resume; after a stop, `fresh` builds a new network, else training goes on. */
  | { type: 'start'; fresh?: boolean }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'reset' }
  | { type: 'getModel'; id: number }
  /**
   * The inside view is open (`watch`): post the network's filters and every layer's output for
   * `input` (the drawing; null: test image 0) now and every INSIDE_EVERY steps while training.
   */
  | { type: 'inspect'; watch: boolean; input: Float32Array | null };

export type RunState = 'loading' | 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/** Messages from the training worker to the page. */
export type FromWorker =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'ready'; backend: string; threads: number; backendError?: string }
  | { type: 'samples'; pixels: Uint8Array; labels: number[] }
  | { type: 'network'; summary: string; params: number; error?: string }
  | { type: 'status'; state: RunState; step: number; epoch: number; stepsPerEpoch: number }
  | {
      /** The trainer's losses since its last read (every 10 steps, and after a single step). */
      type: 'losses';
      /** The step of `losses[0]`; the others follow one by one. */
      firstStep: number;
      losses: number[];
      /** Each step's batch accuracy, in training mode. */
      accuracies: number[];
      stepsPerEpoch: number;
      /** Over a window of the run's last steps; null until 20 steps of one run were timed. */
      imagesPerSecond: number | null;
    }
  | {
      /** The losses show training has gone wrong (@scratchnet/training's DivergenceWatch). */
      type: 'divergence';
      kind: DivergenceKind;
      step: number;
      /** The library's English explanation (`the loss jumped to 12.9 and stays at 2.34, …`). */
      message: string;
      startLoss: number;
      recentLoss: number;
    }
  | {
      /** The network as training left it after `step` steps, for the inside view. */
      type: 'inside';
      step: number;
      /** What the outputs are of: the drawing, or test image 0 (its label in `label`). */
      source: 'drawing' | 'test';
      label?: number;
      layers: InsideLayer[];
    }
  | {
      type: 'eval';
      step: number;
      /** Fractional epoch at the evaluation. */
      epoch: number;
      /** 'quick': on the first test images, during the epoch; 'epoch': full sets, at its end. */
      kind: 'quick' | 'epoch';
      trainAccuracy?: number;
      /** Mean loss on the first 10,000 training images (epoch evaluations only). */
      trainLoss?: number;
      testAccuracy: number;
      testLoss: number;
      testCount: number;
      /** Row = true class, column = predicted, 10×10 counts. */
      confusion: number[];
      /** Predictions for the sample images (the `samples` message). */
      predictions: number[];
    }
  | { type: 'model'; id: number; bytes: Uint8Array }
  | { type: 'error'; message: string };
