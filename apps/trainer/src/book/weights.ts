import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeNumpyPickle, numpyToFloat32 } from '@scratchnet/serialization';
import { type Tensor, tensor } from '@scratchnet/tensor';
import type { BookContext } from './context.js';

const BOOK_REPOSITORY = 'https://github.com/oreilly-japan/deep-learning-from-scratch';

/**
 * The path of the book's saved parameters for a script: `--weights FILE`, else the file name in
 * the working directory, as the book's script opens it. A missing file is an error that says
 * where the book keeps it (`bookPath`, e.g. 'ch03/sample_weight.pkl') and how to pass it.
 */
export function bookWeightsPath(ctx: BookContext, fileName: string, bookPath: string): string {
  const path = resolve(ctx.weights ?? fileName);
  if (!existsSync(path)) {
    throw new Error(
      `${path}: no such file. This script loads the book's saved parameters, ${fileName}: ` +
        `download ${bookPath} from ${BOOK_REPOSITORY} and pass it with --weights FILE`,
    );
  }
  return path;
}

/** A `save_params` pickle (a dict of NumPy arrays) as float32 tensors under the book's keys. */
export function loadBookPickle(path: string): Record<string, Tensor> {
  const arrays = decodeNumpyPickle(readFileSync(path), { source: path });
  return Object.fromEntries(
    Object.entries(arrays).map(([key, array]) => [key, tensor(numpyToFloat32(array), array.shape)]),
  );
}
