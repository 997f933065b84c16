import { existsSync, readFileSync } from 'node:fs';
import type { Network } from '@scratchnet/layers';
import { loadModelWithMetadata } from '@scratchnet/serialization';
import { Option } from 'commander';
import { datasetNames } from '../training/choices.js';

/** Reads a model file, with an error that names it when it is missing. */
export function readModelFile(path: string): {
  network: Network;
  metadata: Record<string, string>;
} {
  if (!existsSync(path)) throw new Error(`${path}: no such model file`);
  return loadModelWithMetadata(readFileSync(path), { source: path });
}

export const datasetOption = () =>
  new Option('--dataset <name>', 'dataset').choices(datasetNames).default('mnist');
export const dataDirOption = () =>
  new Option(
    '--data-dir <dir>',
    'directory of the IDX files (Fashion-MNIST default: /usr/share/datasets/fashion-mnist)',
  );
