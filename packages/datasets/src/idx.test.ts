import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx, type IdxArray, IdxFormatError, isGzip } from './idx.js';

const samples: IdxArray[] = [
  { dataType: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 2, 253, 254, 255) },
  { dataType: 'int8', shape: [4], data: Int8Array.of(-128, -1, 0, 127) },
  { dataType: 'int16', shape: [2, 2], data: Int16Array.of(-32768, -2, 258, 32767) },
  { dataType: 'int32', shape: [3], data: Int32Array.of(-(2 ** 31), 16909060, 2 ** 31 - 1) },
  { dataType: 'float32', shape: [1, 3], data: Float32Array.of(0.5, -1.25, Number.NaN) },
  { dataType: 'float64', shape: [2, 1, 1], data: Float64Array.of(Math.PI, -Number.MAX_VALUE) },
];

/** Builds a header by hand: magic 00 00 type dims, then big-endian sizes. */
function header(typeCode: number, shape: number[]): number[] {
  return [
    0,
    0,
    typeCode,
    shape.length,
    ...shape.flatMap((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]),
  ];
}

function expectIdxError(bytes: Uint8Array, ...fragments: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    decodeIdx(bytes, { source: 'broken.idx' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IdxFormatError);
  const message = (caught as Error).message;
  expect(message.startsWith('broken.idx: ')).toBe(true);
  for (const fragment of fragments) expect(message).toMatch(fragment);
}

describe('decodeIdx / encodeIdx', () => {
  it.each(samples)('round-trips $dataType', (sample) => {
    const decoded = decodeIdx(encodeIdx(sample));
    expect(decoded.dataType).toBe(sample.dataType);
    expect(decoded.shape).toEqual(sample.shape);
    expect(decoded.data.constructor).toBe(sample.data.constructor);
    expect(Array.from(decoded.data)).toEqual(Array.from(sample.data));
  });

  it('writes the MNIST header byte for byte, big-endian', () => {
    const bytes = encodeIdx({ dataType: 'uint8', shape: [3], data: Uint8Array.of(7, 2, 1) });
    expect(Array.from(bytes)).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
    const ints = encodeIdx({ dataType: 'int32', shape: [1], data: Int32Array.of(0x01020304) });
    expect(Array.from(ints.subarray(8))).toEqual([1, 2, 3, 4]);
  });

  it('reads gzipped files, detected by the magic 1f 8b', () => {
    const sample = samples[4]!;
    const zipped = encodeIdx(sample, { gzip: true });
    expect(isGzip(zipped)).toBe(true);
    expect(isGzip(encodeIdx(sample))).toBe(false);
    const decoded = decodeIdx(zipped);
    expect(decoded.shape).toEqual([1, 3]);
    expect(decoded.data[1]).toBe(-1.25);
  });

  it('does not share memory with the input', () => {
    const bytes = encodeIdx({ dataType: 'uint8', shape: [2], data: Uint8Array.of(5, 6) });
    const decoded = decodeIdx(bytes);
    bytes[8] = 99;
    expect(decoded.data[0]).toBe(5);
  });

  it('accepts empty dimensions', () => {
    const decoded = decodeIdx(Uint8Array.from(header(0x08, [0, 28, 28])));
    expect(decoded.shape).toEqual([0, 28, 28]);
    expect(decoded.data.length).toBe(0);
  });
});

describe('decodeIdx on malformed data', () => {
  it('refuses a bad magic number, showing it', () => {
    expectIdxError(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0), 'bad magic number 0x01 0x00 0x08 0x01');
    expectIdxError(Uint8Array.of(0x50, 0x4b, 3, 4), /bad magic number/);
  });

  it('refuses an unknown data type, naming the byte', () => {
    expectIdxError(Uint8Array.from(header(0x0a, [1])).slice(), /unknown data type 0x0a/);
    expectIdxError(Uint8Array.from(header(0x07, [1])), /unknown data type 0x07/);
  });

  it('refuses zero dimensions and short headers', () => {
    expectIdxError(Uint8Array.of(0, 0, 8), /too short for an IDX header \(3 bytes\)/);
    expectIdxError(Uint8Array.of(0, 0, 8, 0), /0 dimensions/);
    expectIdxError(
      Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1),
      /truncated header: 3 dimensions need 16 bytes, the data has 8/,
    );
  });

  it('refuses truncated data with expected and actual byte counts', () => {
    const bytes = encodeIdx({ dataType: 'int16', shape: [2, 3], data: new Int16Array(6) });
    expectIdxError(
      bytes.subarray(0, bytes.length - 1),
      'truncated',
      'needs 12 data bytes',
      'found 11',
    );
  });

  it('refuses trailing bytes with expected and actual byte counts', () => {
    const bytes = encodeIdx({ dataType: 'uint8', shape: [4], data: new Uint8Array(4) });
    const padded = new Uint8Array(bytes.length + 2);
    padded.set(bytes);
    expectIdxError(padded, 'has trailing bytes', 'needs 4 data bytes', 'found 6');
  });

  it('refuses dimensions whose product overflows, before allocating anything', () => {
    const huge = Uint8Array.from([...header(0x0e, [0xffffffff, 0xffffffff, 0xffffffff]), 1, 2, 3]);
    // 8 · (2^32 − 1)^3 bytes: far beyond any buffer, reported exactly.
    const expected = 8n * 0xffffffffn ** 3n;
    expectIdxError(huge, 'truncated', `needs ${expected} data bytes`, 'found 3');
  });

  it('refuses damaged gzip data and gzip bombs by their declared size', () => {
    const zipped = encodeIdx(samples[0]!, { gzip: true });
    const damaged = zipped.slice();
    damaged.fill(0xff, 10, damaged.length - 8);
    expectIdxError(damaged, /gzip data is damaged/);
    expectIdxError(zipped.subarray(0, 12), /gzip data is truncated/);

    const bomb = gzipSync(new Uint8Array(64));
    new DataView(bomb.buffer).setUint32(bomb.length - 4, 2 ** 31, true);
    expectIdxError(bomb, /declares 2147483648 decompressed bytes, more than the limit/);
  });

  it('names a default source when none is given', () => {
    expect(() => decodeIdx(Uint8Array.of(9, 9, 9, 9))).toThrow(/^IDX data: bad magic/);
  });
});

describe('encodeIdx checks', () => {
  it('refuses data that does not fill the shape', () => {
    expect(() => encodeIdx({ dataType: 'uint8', shape: [2, 2], data: new Uint8Array(3) })).toThrow(
      /shape \[2, 2\] has 4 elements but the data has 3/,
    );
    expect(() => encodeIdx({ dataType: 'uint8', shape: [], data: new Uint8Array(1) })).toThrow(
      /1 to 255 dimensions/,
    );
  });
});
