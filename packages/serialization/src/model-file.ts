import {
  createNetwork,
  type Network,
  type NetworkConfig,
  networkStateShapes,
} from '@scratchnet/layers';
import { formatShape, type Tensor } from '@scratchnet/tensor';
import {
  type FloatDtype,
  SafetensorsError,
  safetensorsToTensors,
  tensorsToSafetensors,
} from './safetensors.js';

/** Metadata keys scratchnet writes beside the tensors. */
export const MODEL_METADATA = {
  /** What the file holds: `'model'` (a checkpoint says `'checkpoint'`). */
  kind: 'scratchnet.kind',
  /** The file layout's version. */
  version: 'scratchnet.version',
  /** The network's config as JSON, to rebuild it. */
  config: 'scratchnet.config',
} as const;

const FILE_VERSION = '1';

/** Options of `saveModel`. */
export interface SaveModelOptions {
  /** Extra string metadata to keep in the file (dataset, seed, accuracy, …). */
  metadata?: Record<string, string>;
  /** F32 (default, exact) or F16/BF16 to halve the file, as the book's chapter 8 does. */
  dtype?: FloatDtype;
}

/**
 * A model file: a safetensors file holding the network's state dict under PyTorch's names and
 * layouts (`conv1.weight` [30, 1, 5, 5], `fc1.weight` [100, 4320], …), with the architecture and
 * hyperparameters as JSON in `__metadata__`, so that `loadModel` rebuilds the right network and a
 * PyTorch user can load the same tensors into the same architecture.
 *
 * @param options - Extra metadata and the stored dtype: see {@link SaveModelOptions}.
 *
 * @example
 * const bytes = saveModel(new SimpleConvNet());
 * const network = loadModel(bytes, { source: 'model.safetensors' }); // a SimpleConvNet again
 */
export function saveModel(
  network: Network,
  { metadata = {}, dtype = 'F32' }: SaveModelOptions = {},
): Uint8Array {
  const config = (network as Partial<Network>).config;
  if (typeof config !== 'object' || config === null || typeof config.architecture !== 'string') {
    const name = (network as { typeName?: string }).typeName ?? 'this module';
    throw new TypeError(
      `saveModel: ${name} is not a network with a config (architecture and options), which a model file needs to rebuild it; save a Network (a SequentialNet from layer specs, createNetwork, …), or its bare weights with tensorsToSafetensors(module.stateDict())`,
    );
  }
  const state = network.stateDict();
  try {
    return tensorsToSafetensors(state, {
      dtype,
      metadata: {
        ...metadata,
        format: 'pt',
        [MODEL_METADATA.kind]: 'model',
        [MODEL_METADATA.version]: FILE_VERSION,
        [MODEL_METADATA.config]: JSON.stringify(network.config),
      },
    });
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}

/** Reads the network config a scratchnet file carries, or says why it cannot. */
export function readNetworkConfig(metadata: Record<string, string>, source: string): NetworkConfig {
  const text = metadata[MODEL_METADATA.config];
  if (text === undefined) {
    throw new SafetensorsError(
      source,
      `no "${MODEL_METADATA.config}" metadata: not a scratchnet model file`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(
      source,
      `"${MODEL_METADATA.config}" is not valid JSON (${(error as Error).message})`,
    );
  }
  if (
    typeof config !== 'object' ||
    config === null ||
    typeof (config as NetworkConfig).architecture !== 'string'
  ) {
    throw new SafetensorsError(source, `"${MODEL_METADATA.config}" has no architecture`);
  }
  return config as NetworkConfig;
}

/**
 * Checks that the tensors a file holds are exactly the state dict its config builds (names and
 * shapes), from the config alone: a config claiming a huge network is refused here, before the
 * network is built and its weights allocated.
 */
export function checkStateAgainstConfig(
  config: NetworkConfig,
  tensors: Record<string, Tensor>,
  source: string,
): void {
  let expected: Record<string, number[]>;
  try {
    expected = networkStateShapes(config);
  } catch (error) {
    throw new SafetensorsError(source, `"${MODEL_METADATA.config}": ${(error as Error).message}`);
  }
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(expected)) {
    const tensor = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
    if (!tensor) problems.push(`missing tensor "${name}" (shape ${formatShape(shape)})`);
    else if (
      tensor.shape.length !== shape.length ||
      tensor.shape.some((size, i) => size !== shape[i])
    ) {
      problems.push(
        `tensor "${name}" has shape ${formatShape(tensor.shape)}, but the config's ${config.architecture} expects ${formatShape(shape)}`,
      );
    }
  }
  for (const name of Object.keys(tensors)) {
    if (!Object.hasOwn(expected, name)) problems.push(`unexpected tensor "${name}"`);
  }
  if (problems.length > 0) {
    const shown =
      problems.length > 5 ? [...problems.slice(0, 5), `… (${problems.length} problems)`] : problems;
    throw new SafetensorsError(source, shown.join('; '));
  }
}

/**
 * The network `config` describes, holding `tensors` (checked first, names and shapes, with
 * `checkStateAgainstConfig`), in evaluation mode; any failure is a `SafetensorsError` naming
 * `source`.
 */
export function networkFromState(
  config: NetworkConfig,
  tensors: Record<string, Tensor>,
  source: string,
): Network {
  checkStateAgainstConfig(config, tensors, source);
  try {
    const network = createNetwork(config);
    network.loadStateDict(tensors);
    return network.eval();
  } catch (error) {
    throw new SafetensorsError(source, (error as Error).message);
  }
}

/** Options of `loadModel` and `loadModelWithMetadata`. */
export interface LoadModelOptions {
  /** Names the file in error messages. */
  source?: string;
}

/**
 * Rebuilds the network a model file describes and loads its weights; any mismatch between the
 * file's tensors and the architecture is named, with the file.
 *
 * @param options - Names the file in errors: see {@link LoadModelOptions}.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 *
 * const network = loadModel(readFileSync('model.safetensors'), { source: 'model.safetensors' });
 * network.accuracy(testImages, testLabels); // as the book's network.accuracy(x_test, t_test)
 */
export function loadModel(
  bytes: Uint8Array,
  { source = 'model file' }: LoadModelOptions = {},
): Network {
  return loadModelWithMetadata(bytes, { source }).network;
}

/**
 * `loadModel`, also returning the file's metadata.
 *
 * @param options - Names the file in errors: see {@link LoadModelOptions}.
 */
export function loadModelWithMetadata(
  bytes: Uint8Array,
  { source = 'model file' }: LoadModelOptions = {},
): {
  /** The rebuilt network, in evaluation mode. */
  network: Network;
  /** The file's metadata: scratchnet's keys and any given to `saveModel`. */
  metadata: Record<string, string>;
} {
  const { tensors, metadata } = safetensorsToTensors(bytes, { source });
  const kind = metadata[MODEL_METADATA.kind];
  if (kind !== undefined && kind !== 'model') {
    throw new SafetensorsError(source, `this is a scratchnet ${kind} file, not a model file`);
  }
  try {
    const config = readNetworkConfig(metadata, source);
    return { network: networkFromState(config, tensors, source), metadata };
  } finally {
    // The network's parameters share the buffers they were loaded from; these handles go.
    for (const t of Object.values(tensors)) t.dispose();
  }
}
