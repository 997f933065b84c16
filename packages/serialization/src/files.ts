import { readFileSync } from 'node:fs';
import type { Tensor } from '@scratchnet/tensor';
import { writeFileAtomic } from './atomic-write.js';
import { decodeNumpyPickle, type NumpyArray } from './pickle.js';
import {
  type DecodeSafetensorsOptions,
  decodeSafetensors,
  type SafetensorsFile,
  type TensorsToSafetensorsOptions,
  tensorsToSafetensors,
} from './safetensors.js';

/**
 * Reads and validates a safetensors file; errors name the path.
 *
 * @example
 * const { tensors, metadata } = readSafetensorsFile('model.safetensors');
 */
export function readSafetensorsFile(
  path: string,
  options: Omit<DecodeSafetensorsOptions, 'source'> = {},
): SafetensorsFile {
  return decodeSafetensors(readFileSync(path), { ...options, source: path });
}

/**
 * Saves scratchnet tensors as a safetensors file, atomically (temp file, fsync, rename).
 *
 * @example
 * await writeSafetensorsFile('net.safetensors', { W1, b1 }, { metadata: { epoch: '3' } });
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: Record<string, Tensor>,
  options: TensorsToSafetensorsOptions = {},
): Promise<void> {
  await writeFileAtomic(path, tensorsToSafetensors(tensors, options));
}

/**
 * Reads a pickled dict of numpy arrays (the book's `save_params` files) with the restricted
 * unpickler; errors name the path.
 *
 * @example
 * const params = readNumpyPickleFile('deep_convnet_params.pkl');
 * params.W1?.shape; // [16, 1, 3, 3]
 */
export function readNumpyPickleFile(path: string): Record<string, NumpyArray> {
  return decodeNumpyPickle(readFileSync(path), { source: path });
}
