import type { Network, NetworkConfig, StateDict } from '@scratchnet/layers';
import type { Optimizer, OptimizerState } from '@scratchnet/optimizers';
import type { RandomState, Tensor } from '@scratchnet/tensor';
import { checkStateAgainstConfig, MODEL_METADATA, readNetworkConfig } from './model-file.js';
import {
  SafetensorsError,
  safetensorsToTensors,
  setOwn,
  tensorsToSafetensors,
} from './safetensors.js';

/** Where training stands: saved whole, as JSON, so a resumed run continues exactly. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken in all. */
  step: number;
  /** The default generator's state (dropout masks and anything else drawn while training). */
  rng: RandomState;
  /** Anything else the trainer needs (data loader position, running sums, options): JSON. */
  [key: string]: unknown;
}

/** What `loadCheckpoint` reads back: everything `saveCheckpoint` wrote. */
export interface Checkpoint {
  /** The network's config, to build it again (`createNetwork`). */
  config: NetworkConfig;
  /** The network's weights and buffers, for `loadStateDict`. */
  modelState: StateDict;
  /** The optimizer's state, for its `loadStateDict`. */
  optimizerState: OptimizerState;
  /** Where training stood. */
  training: TrainingState;
  /** The best validation epoch's weights, when the run keeps them (keep-best). */
  bestModelState?: StateDict;
}

/** Options of `saveCheckpoint`. */
export interface SaveCheckpointOptions {
  /** Weights to keep beside the current ones: the best validation epoch's (keep-best). */
  bestModelState?: StateDict;
}

const MODEL_PREFIX = 'model.';
const BEST_PREFIX = 'best.';
const OPTIMIZER_PREFIX = 'optimizer.';
const OPTIMIZER_KEY = 'scratchnet.optimizer';
const TRAINING_KEY = 'scratchnet.training';

/**
 * A training checkpoint in one safetensors file: the weights (`model.*`), the optimizer's slots
 * (`optimizer.*`, e.g. Adam's moments) and, in the metadata, the network config, the optimizer's
 * hyperparameters and step count, and the training state with the RNG's; with keep-best also the
 * best epoch's weights (`best.*`). All float32, so a
 * resumed run is bitwise the same as an uninterrupted one. Write it with `writeFileAtomic`.
 */
export function saveCheckpoint(
  network: Network,
  optimizer: Optimizer,
  training: TrainingState,
  options: SaveCheckpointOptions = {},
): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  const modelState = network.stateDict();
  for (const [name, t] of Object.entries(modelState)) tensors[MODEL_PREFIX + name] = t;
  for (const [name, t] of Object.entries(options.bestModelState ?? {}))
    tensors[BEST_PREFIX + name] = t;
  const optimizerState = optimizer.stateDict();
  for (const [name, t] of Object.entries(optimizerState.slots))
    tensors[OPTIMIZER_PREFIX + name] = t;
  try {
    return writeCheckpoint(tensors, network, optimizerState, training);
  } finally {
    // The handles this function asked for (the best weights are the caller's).
    for (const t of [...Object.values(modelState), ...Object.values(optimizerState.slots)]) {
      t.dispose();
    }
  }
}

function writeCheckpoint(
  tensors: Record<string, Tensor>,
  network: Network,
  optimizerState: ReturnType<Optimizer['stateDict']>,
  training: TrainingState,
): Uint8Array {
  return tensorsToSafetensors(tensors, {
    metadata: {
      [MODEL_METADATA.kind]: 'checkpoint',
      [MODEL_METADATA.version]: '1',
      [MODEL_METADATA.config]: JSON.stringify(network.config),
      [OPTIMIZER_KEY]: JSON.stringify({
        type: optimizerState.type,
        hyperparameters: optimizerState.hyperparameters,
        step: optimizerState.step,
      }),
      [TRAINING_KEY]: JSON.stringify(training),
    },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson<T>(metadata: Record<string, string>, key: string, source: string): T {
  const text = metadata[key];
  if (text === undefined)
    throw new SafetensorsError(source, `no "${key}" metadata: not a scratchnet checkpoint`);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SafetensorsError(source, `"${key}" is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads a checkpoint written by `saveCheckpoint`. A damaged or foreign file is refused with an
 * error naming it (`source`) and the problem; nothing is applied to a model until it has parsed.
 *
 * @param options - `source` names the file in errors (default `'checkpoint'`).
 */
export function loadCheckpoint(
  bytes: Uint8Array,
  { source = 'checkpoint' }: { source?: string } = {},
): Checkpoint {
  const { tensors, metadata } = safetensorsToTensors(bytes, { source });
  if (metadata[MODEL_METADATA.kind] !== 'checkpoint') {
    throw new SafetensorsError(
      source,
      'not a scratchnet checkpoint (no "scratchnet.kind": "checkpoint" metadata)',
    );
  }
  const config = readNetworkConfig(metadata, source);
  const optimizer = parseJson<Omit<OptimizerState, 'slots'>>(metadata, OPTIMIZER_KEY, source);
  if (!isObject(optimizer) || typeof optimizer.type !== 'string') {
    throw new SafetensorsError(source, `"${OPTIMIZER_KEY}" is not an object with a type`);
  }
  const training = parseJson<TrainingState>(metadata, TRAINING_KEY, source);
  if (
    !isObject(training) ||
    !Number.isSafeInteger(training.epoch) ||
    !Number.isSafeInteger(training.step) ||
    training.epoch < 0 ||
    training.step < 0 ||
    !isObject(training.rng)
  ) {
    throw new SafetensorsError(source, `"${TRAINING_KEY}" lacks epoch, step or rng`);
  }
  const modelState: StateDict = {};
  const slots: Record<string, Tensor> = {};
  let bestModelState: StateDict | undefined;
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith(MODEL_PREFIX)) setOwn(modelState, name.slice(MODEL_PREFIX.length), t);
    else if (name.startsWith(BEST_PREFIX)) {
      bestModelState ??= {};
      setOwn(bestModelState, name.slice(BEST_PREFIX.length), t);
    } else if (name.startsWith(OPTIMIZER_PREFIX))
      setOwn(slots, name.slice(OPTIMIZER_PREFIX.length), t);
    else throw new SafetensorsError(source, `unexpected tensor "${name}" in a checkpoint`);
  }
  checkStateAgainstConfig(config, modelState, source);
  if (bestModelState) checkStateAgainstConfig(config, bestModelState, `${source} (best weights)`);
  return {
    config,
    modelState,
    optimizerState: { ...optimizer, slots },
    training,
    ...(bestModelState ? { bestModelState } : {}),
  };
}
