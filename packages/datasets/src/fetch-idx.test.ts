import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchIdx } from './fetch-idx.js';
import { encodeIdx, IdxFormatError } from './idx.js';

function dataUrl(bytes: Uint8Array): string {
  return `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`;
}

describe('fetchIdx', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('fetches and decodes plain and gzipped files', async () => {
    const sample = { dataType: 'uint8' as const, shape: [2], data: Uint8Array.of(3, 4) };
    for (const gzip of [false, true]) {
      const decoded = await fetchIdx(dataUrl(encodeIdx(sample, { gzip })));
      expect(decoded.shape).toEqual([2]);
      expect(Array.from(decoded.data)).toEqual([3, 4]);
    }
  });

  it('names the URL on HTTP errors and on damaged files', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response(null, { status: 404, statusText: 'Not Found' }),
    );
    await expect(fetchIdx('https://example.org/train-images.gz')).rejects.toThrow(
      'fetchIdx: https://example.org/train-images.gz: HTTP 404 Not Found',
    );
    vi.stubGlobal('fetch', async () => new Response(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 1)));
    const failure = fetchIdx('https://example.org/labels');
    await expect(failure).rejects.toBeInstanceOf(IdxFormatError);
    await expect(failure).rejects.toThrow(/^https:\/\/example\.org\/labels: truncated/);
  });
});
