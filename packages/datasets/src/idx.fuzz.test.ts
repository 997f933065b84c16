/**
 * Fuzzing the IDX reader with mutations of valid files (plain and gzipped), generated headers and
 * random bytes: every input decodes or is refused with an IdxFormatError, quickly. A normal test
 * run feeds a few hundred inputs; `pnpm fuzz` (SCRATCHNET_FUZZ_RUNS=100000) feeds 100,000.
 */
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx, IdxFormatError } from './idx.js';
import { fuzz, fuzzRuns, mutated } from './testing/fuzz.js';

const seeds = [
  encodeIdx({
    dataType: 'uint8',
    shape: [3, 2, 2],
    data: Uint8Array.from({ length: 12 }, (_, i) => i),
  }),
  encodeIdx({ dataType: 'int32', shape: [2], data: Int32Array.of(-1, 70000) }),
  encodeIdx({ dataType: 'float64', shape: [1, 1], data: Float64Array.of(Math.PI) }),
  encodeIdx({ dataType: 'uint8', shape: [4], data: Uint8Array.of(1, 2, 3, 4) }, { gzip: true }),
];

const IDX_TYPES = [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e];

/** An IDX header of random type, rank and dimensions (some huge), then random data. */
const generated = fc
  .tuple(
    fc.oneof(fc.constantFrom(...IDX_TYPES), fc.nat(255)),
    fc.array(fc.oneof(fc.nat(4), fc.constantFrom(0xffffffff, 0x80000000, 2 ** 20)), {
      maxLength: 6,
    }),
    fc.uint8Array({ maxLength: 48 }),
    fc.boolean(),
  )
  .map(([type, dims, data, zip]) => {
    const header = new Uint8Array(4 + 4 * dims.length);
    const view = new DataView(header.buffer);
    header[2] = type;
    header[3] = dims.length;
    dims.forEach((d, i) => {
      view.setUint32(4 + 4 * i, d, false);
    });
    const bytes = Uint8Array.from([...header, ...data]);
    return zip ? gzipSync(bytes) : bytes;
  });

describe('fuzzing decodeIdx (typed errors only, no hang, no crash)', () => {
  it('mutated files, generated headers, random bytes', () => {
    const runs = fuzzRuns(500);
    const inputs = fc.oneof(
      { weight: 5, arbitrary: mutated(seeds) },
      { weight: 4, arbitrary: generated },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }) },
    );
    const report = fuzz(
      'IDX',
      inputs,
      (b) => decodeIdx(b),
      (e) => e instanceof IdxFormatError,
      { runs },
    );
    expect(report.inputs).toBe(runs);
  });

  it('refuses dimensions that claim 2^60 bytes, and a gzip trailer that claims 4 GiB, before allocating', () => {
    // float64, 3 dimensions of 2^20: 2^63 bytes claimed by a 16-byte file.
    const header = Uint8Array.of(0, 0, 0x0e, 3, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 0, 0x10, 0, 0);
    expect(() => decodeIdx(header)).toThrow(IdxFormatError);
    expect(() => decodeIdx(header)).toThrow(/9223372036854775808/);
    const zipped = gzipSync(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 7));
    const view = new DataView(zipped.buffer, zipped.byteOffset, zipped.byteLength);
    view.setUint32(zipped.length - 4, 0xffffffff, true);
    expect(() => decodeIdx(zipped)).toThrow(
      /declares 4294967295 decompressed bytes, more than the limit/,
    );
  });
});
