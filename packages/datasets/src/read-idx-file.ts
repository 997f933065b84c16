import { readFileSync } from 'node:fs';
import { type DecodeIdxOptions, decodeIdx, type IdxArray } from './idx.js';

/**
 * Reads and decodes an IDX file (plain or gzipped) from disk; errors name the path. Node only:
 * import it from `@scratchnet/datasets/node`.
 *
 * @example
 * const labels = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 * labels.shape; // [10000]
 */
export function readIdxFile(
  path: string,
  options: Omit<DecodeIdxOptions, 'source'> = {},
): IdxArray {
  const bytes = readFileSync(path);
  return decodeIdx(bytes, { ...options, source: path });
}
