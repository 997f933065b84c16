import type { Network, NetworkConfig } from '@scratchnet/layers';
import { MODEL_METADATA, networkFromState } from './model-file.js';
import { SafetensorsError, safetensorsToTensors } from './safetensors.js';

/** Options of `importStateDict`. */
export interface ImportStateDictOptions {
  /** Names the file in error messages. */
  source?: string;
}

/**
 * Builds the network `config` describes and loads a bare state dict into it: a safetensors file
 * PyTorch wrote (`safetensors.torch.save_file(model.state_dict(), path)`), or `scratchnet export`'s.
 * Every tensor is checked name by name and shape by shape against the config before anything is
 * allocated, and all mismatches are named together with the file; float16, bfloat16, float64 and
 * int64 tensors (batch norm's `num_batches_tracked`) are converted to float32. The network comes
 * back in evaluation mode; `saveModel` turns it into a model file the CLI and playground open.
 *
 * @param options - Names the file in errors: see {@link ImportStateDictOptions}.
 *
 * @example
 * // PyTorch: nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(5408, 10))
 * const net = importStateDict(bytes, {
 *   architecture: 'sequential',
 *   inputShape: [1, 28, 28],
 *   layers: [
 *     { type: 'conv2d', outChannels: 8, kernelSize: 3 },
 *     { type: 'relu' },
 *     { type: 'flatten' },
 *     { type: 'linear', outFeatures: 10 },
 *   ],
 * }, { source: 'torch-model.safetensors' });
 */
export function importStateDict(
  bytes: Uint8Array,
  config: NetworkConfig,
  { source = 'state dict' }: ImportStateDictOptions = {},
): Network {
  const { tensors, metadata } = safetensorsToTensors(bytes, { source });
  const kind = metadata[MODEL_METADATA.kind];
  if (kind === 'checkpoint') {
    throw new SafetensorsError(source, 'this is a scratchnet checkpoint, not a bare state dict');
  }
  const names = Object.keys(tensors);
  const wrapped = ['module.', '_orig_mod.'].find(
    (prefix) => names.length > 0 && names.every((name) => name.startsWith(prefix)),
  );
  if (wrapped) {
    throw new SafetensorsError(
      source,
      `every tensor name starts with "${wrapped}" (a wrapped PyTorch model): save the inner model's state_dict() instead`,
    );
  }
  return networkFromState(config, tensors, source);
}
