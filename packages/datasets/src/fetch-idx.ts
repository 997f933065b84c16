import { type DecodeIdxOptions, decodeIdx, type IdxArray } from './idx.js';

/** Options of `fetchIdx`: `decodeIdx`'s (the URL names the source) and `fetch`'s. */
export interface FetchIdxOptions extends Omit<DecodeIdxOptions, 'source'> {
  /** Passed to `fetch` (headers, signal to abort, ...). */
  init?: RequestInit;
}

/**
 * Downloads and decodes an IDX file (plain or gzipped) with `fetch`: the browser's way in, and it
 * works in Node 18+ too. HTTP failures and format errors both name the URL.
 *
 * @example
 * const labels = await fetchIdx('/data/t10k-labels-idx1-ubyte.gz');
 * labels.shape; // [10000]
 */
export async function fetchIdx(
  url: string | URL,
  options: FetchIdxOptions = {},
): Promise<IdxArray> {
  const source = String(url);
  const response = await fetch(url, options.init);
  if (!response.ok) {
    throw new Error(
      `fetchIdx: ${source}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return decodeIdx(bytes, { ...options, source });
}
