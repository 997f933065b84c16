/**
 * The training set-up (network layers and hyperparameters) as plain data, and its compact form in
 * the page's URL, so a set-up can be shared as a link:
 * `?net=c8k5-r-p2-f64-r&opt=adam&lr=0.001&bs=64&wd=0&ep=1`.
 */

/** One editable layer. The output layer (Linear to 10 classes) is always appended. */
export type LayerSpec =
  | { type: 'conv'; filters: number; size: number; stride: number; pad: number }
  | { type: 'pool'; size: number }
  | { type: 'relu' }
  | { type: 'sigmoid' }
  | { type: 'tanh' }
  | { type: 'linear'; units: number }
  | { type: 'dropout'; p: number }
  | { type: 'batchnorm' };

export type LayerType = LayerSpec['type'];

export const LAYER_TYPES: readonly LayerType[] = [
  'conv',
  'pool',
  'relu',
  'sigmoid',
  'tanh',
  'linear',
  'dropout',
  'batchnorm',
];

import { optimizerNames as OPTIMIZERS, type OptimizerName } from '@scratchnet/optimizers';
import type { TrainerOptions } from '@scratchnet/training';

export { OPTIMIZERS, type OptimizerName };

export interface TrainSetup {
  layers: LayerSpec[];
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  weightDecay: number;
  epochs: number;
  seed: number;
}

/**
 * The `Trainer` options a set-up means: the same for the worker and for a Node run of the same
 * set-up, so both draw the same batches and take the same steps.
 */
export function trainerOptionsFor(setup: TrainSetup): TrainerOptions {
  return {
    optimizer: setup.optimizer,
    lr: setup.lr,
    weightDecay: setup.weightDecay,
    epochs: setup.epochs,
    batchSize: setup.batchSize,
    seed: setup.seed,
    // As the book's Trainer measures it: in evaluation mode, here on the first 10,000 images.
    trainEvalSamples: 10_000,
    logEvery: 10,
  };
}

/** A small version of the book's SimpleConvNet: it learns MNIST in a few hundred steps. */
export const DEFAULT_SETUP: TrainSetup = {
  layers: [
    { type: 'conv', filters: 8, size: 5, stride: 1, pad: 0 },
    { type: 'relu' },
    { type: 'pool', size: 2 },
    { type: 'linear', units: 64 },
    { type: 'relu' },
  ],
  optimizer: 'adam',
  lr: 0.001,
  batchSize: 64,
  weightDecay: 0,
  epochs: 1,
  seed: 1,
};

/** A fresh layer of a type, with sensible defaults. */
export function defaultLayer(type: LayerType): LayerSpec {
  switch (type) {
    case 'conv':
      return { type, filters: 8, size: 3, stride: 1, pad: 1 };
    case 'pool':
      return { type, size: 2 };
    case 'linear':
      return { type, units: 64 };
    case 'dropout':
      return { type, p: 0.25 };
    default:
      return { type };
  }
}

export function formatLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'conv':
      return `c${layer.filters}k${layer.size}${layer.stride !== 1 ? `s${layer.stride}` : ''}${layer.pad !== 0 ? `p${layer.pad}` : ''}`;
    case 'pool':
      return `p${layer.size}`;
    case 'relu':
      return 'r';
    case 'sigmoid':
      return 'sg';
    case 'tanh':
      return 'th';
    case 'linear':
      return `f${layer.units}`;
    case 'dropout':
      return `d${layer.p}`;
    case 'batchnorm':
      return 'bn';
  }
}

/** The quantities a link sets, named in its errors (the catalogue in `i18n/messages/link.ts`). */
export type LinkQuantity =
  | 'filters'
  | 'kernelSize'
  | 'stride'
  | 'poolSize'
  | 'units'
  | 'learningRate'
  | 'batchSize'
  | 'weightDecay'
  | 'epochs'
  | 'seed';

/**
 * Why a link's value was ignored, as data, so the page can say it in the reader's language
 * (`linkErrorText`): a whole number or a number out of its range, an unknown layer, optimizer
 * or language. `param` is the URL parameter, `value` what it held.
 */
export type LinkProblem =
  | { kind: 'wholeNumber'; quantity: LinkQuantity; max: number; value: string }
  | { kind: 'number'; quantity: LinkQuantity; min: number; max: number; value: string }
  | { kind: 'unknownLayer'; value: string }
  | { kind: 'unknownOptimizer'; value: string }
  | { kind: 'unknownLanguage'; value: string; allowed: string };
export type LinkError = LinkProblem & { param: string };

/** Thrown by the parsers below: an English message, and the problem as data. */
export class LinkValueError extends Error {
  override name = 'LinkValueError';
  constructor(readonly problem: LinkProblem) {
    super(englishProblem(problem));
  }
}

const ENGLISH_QUANTITY: Record<LinkQuantity, string> = {
  filters: 'filters',
  kernelSize: 'kernel size',
  stride: 'stride',
  poolSize: 'pool size',
  units: 'units',
  learningRate: 'learning rate',
  batchSize: 'batch size',
  weightDecay: 'weight decay',
  epochs: 'epochs',
  seed: 'seed',
};

function englishProblem(problem: LinkProblem): string {
  switch (problem.kind) {
    case 'wholeNumber':
      return `${ENGLISH_QUANTITY[problem.quantity]} must be a whole number from 1 to ${problem.max}, got "${problem.value}"`;
    case 'number':
      return `${ENGLISH_QUANTITY[problem.quantity]} must be a number from ${problem.min} to ${problem.max}, got "${problem.value}"`;
    case 'unknownLayer':
      return `unknown layer "${problem.value}"`;
    case 'unknownOptimizer':
      return `unknown optimizer "${problem.value}"`;
    case 'unknownLanguage':
      return `not one of ${problem.allowed}`;
  }
}

function positiveInt(text: string | undefined, quantity: LinkQuantity, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new LinkValueError({ kind: 'wholeNumber', quantity, max, value: String(text) });
  }
  return n;
}

export function parseLayer(token: string): LayerSpec {
  if (token === 'r') return { type: 'relu' };
  if (token === 'sg') return { type: 'sigmoid' };
  if (token === 'th') return { type: 'tanh' };
  if (token === 'bn') return { type: 'batchnorm' };
  let m = /^c(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?$/.exec(token);
  if (m) {
    return {
      type: 'conv',
      filters: positiveInt(m[1], 'filters', 256),
      size: positiveInt(m[2], 'kernelSize', 28),
      stride: m[3] === undefined ? 1 : positiveInt(m[3], 'stride', 28),
      pad: m[4] === undefined ? 0 : Number(m[4]),
    };
  }
  m = /^p(\d+)$/.exec(token);
  if (m) return { type: 'pool', size: positiveInt(m[1], 'poolSize', 28) };
  m = /^f(\d+)$/.exec(token);
  if (m) return { type: 'linear', units: positiveInt(m[1], 'units', 4096) };
  m = /^d(0(?:\.\d+)?)$/.exec(token);
  if (m) return { type: 'dropout', p: Number(m[1]) };
  throw new LinkValueError({ kind: 'unknownLayer', value: token });
}

export function formatLayers(layers: readonly LayerSpec[]): string {
  return layers.map(formatLayer).join('-');
}

export function parseLayers(text: string): LayerSpec[] {
  return text === '' ? [] : text.split('-').map(parseLayer);
}

/** The set-up as URL search parameters (only what differs from the defaults is kept short). */
export function setupToParams(setup: TrainSetup): URLSearchParams {
  return new URLSearchParams({
    net: formatLayers(setup.layers),
    opt: setup.optimizer,
    lr: String(setup.lr),
    bs: String(setup.batchSize),
    wd: String(setup.weightDecay),
    ep: String(setup.epochs),
    seed: String(setup.seed),
  });
}

function finite(text: string, quantity: LinkQuantity, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new LinkValueError({ kind: 'number', quantity, min, max, value: text });
  }
  return n;
}

/**
 * Reads a set-up from URL parameters; anything missing keeps its default. A value that does not
 * parse is reported in `errors` and left at its default, so a damaged link still opens.
 */
export function setupFromParams(params: URLSearchParams): {
  setup: TrainSetup;
  errors: LinkError[];
} {
  const setup: TrainSetup = { ...DEFAULT_SETUP, layers: [...DEFAULT_SETUP.layers] };
  const errors: LinkError[] = [];
  const read = (key: string, apply: (value: string) => void) => {
    const value = params.get(key);
    if (value === null) return;
    try {
      apply(value);
    } catch (error) {
      if (!(error instanceof LinkValueError)) throw error;
      errors.push({ param: key, ...error.problem });
    }
  };
  read('net', (v) => {
    setup.layers = parseLayers(v);
  });
  read('opt', (v) => {
    if (!(OPTIMIZERS as readonly string[]).includes(v)) {
      throw new LinkValueError({ kind: 'unknownOptimizer', value: v });
    }
    setup.optimizer = v as OptimizerName;
  });
  read('lr', (v) => {
    setup.lr = finite(v, 'learningRate', 1e-7, 10);
  });
  read('bs', (v) => {
    setup.batchSize = positiveInt(v, 'batchSize', 10_000);
  });
  read('wd', (v) => {
    setup.weightDecay = finite(v, 'weightDecay', 0, 1);
  });
  read('ep', (v) => {
    setup.epochs = positiveInt(v, 'epochs', 100);
  });
  read('seed', (v) => {
    setup.seed = positiveInt(v, 'seed', 2 ** 31 - 1);
  });
  return { setup, errors };
}
