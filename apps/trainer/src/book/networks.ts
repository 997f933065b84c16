/**
 * Networks a book script loads or saves: the book's `load_params` (its pickles, or a scratchnet
 * model file given instead) and `save_params` (a scratchnet model file in the script's folder).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Network } from '@scratchnet/layers';
import {
  type BookArchitecture,
  bookParamNames,
  importBookParams,
  loadModel,
  saveModel,
} from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import type { BookContext } from './context.js';
import { bookWeightsPath } from './weights.js';

/**
 * The network in a file: the book's `save_params` pickle (`.pkl`, read as the network it holds)
 * or a scratchnet model file (what `scratchnet train` and the book's training scripts here save).
 * Returned in evaluation mode.
 */
export function loadNetworkFile(path: string): Network {
  const bytes = readFileSync(path);
  const network = /\.(pkl|pickle)$/i.test(path)
    ? importBookParams(bytes, { source: path })
    : loadModel(bytes, { source: path });
  return network.eval();
}

/**
 * The book's `network.save_params(fileName)`: a scratchnet model file (not a pickle) in the
 * script's output folder; returns its path. `--weights PATH` gives it to the scripts that load it.
 */
export function saveNetworkFile(ctx: BookContext, network: Network, fileName: string): string {
  mkdirSync(ctx.outDir, { recursive: true });
  const path = join(ctx.outDir, fileName);
  writeFileAtomicSync(path, saveModel(network, { metadata: { 'saved-by': 'scratchnet book' } }));
  return path;
}

/**
 * Trained parameters for a script that can also do without: `--weights FILE` (which must exist),
 * else the first of `candidates` (relative to the working directory) that exists, else null.
 */
export function findTrainedWeights(
  ctx: BookContext,
  { fileName, bookPath, candidates }: { fileName: string; bookPath: string; candidates: string[] },
): string | null {
  if (ctx.weights !== undefined) return bookWeightsPath(ctx, fileName, bookPath);
  return candidates.map((c) => resolve(c)).find((path) => existsSync(path)) ?? null;
}

/** A shape as Python prints a tuple: `(30, 1, 5, 5)`, `(30,)`. */
export const pyTuple = (shape: readonly number[]) =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;

/**
 * The book's `network.params`, key by key with the shape NumPy prints (`W2 (4320, 100)`), beside
 * the scratchnet parameter it is (`fc1.weight [100, 4320]`, the transpose).
 */
export function printBookParams(
  ctx: BookContext,
  network: Network,
  architecture: BookArchitecture,
): void {
  const state = network.stateDict();
  const rows = Object.entries(bookParamNames(architecture)).map(([key, { name, transpose }]) => {
    const shape = state[name]!.shape;
    const bookShape = transpose ? [...shape].reverse() : shape;
    const note = transpose ? ', transposed' : '';
    return [`${key} ${pyTuple(bookShape)}`, `${name} [${shape.join(', ')}]${note}`] as const;
  });
  const width = Math.max(...rows.map(([book]) => book.length));
  for (const [book, ours] of rows) ctx.print(`${book.padEnd(width)}  ${ours}`);
}
