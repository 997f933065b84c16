import { gunzipSync, gzipSync } from 'fflate';

/**
 * The IDX format (LeCun's MNIST files): a 4-byte magic `00 00 <type> <dims>`, then `dims`
 * big-endian u32 sizes, then the values, big-endian, row-major. Files may be gzipped.
 */

/** The element types of the IDX spec, by name. */
export type IdxDataType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding each IDX element type. */
export interface IdxTypedArrays {
  /** Bytes: MNIST's pixels and labels. */
  uint8: Uint8Array;
  /** 8-bit signed integers. */
  int8: Int8Array;
  /** 16-bit signed integers. */
  int16: Int16Array;
  /** 32-bit signed integers. */
  int32: Int32Array;
  /** 32-bit floats. */
  float32: Float32Array;
  /** 64-bit floats. */
  float64: Float64Array;
}

/** A decoded IDX file: its element type, dimensions and values (row-major, native byte order). */
export interface IdxArray<T extends IdxDataType = IdxDataType> {
  /** The element type. */
  dataType: T;
  /** The size of each dimension: [60000, 28, 28] for MNIST's training images. */
  shape: number[];
  /** The values, flat and row-major. */
  data: IdxTypedArrays[T];
}

/** A malformed or damaged IDX file; the message starts with the file (or source) name. */
export class IdxFormatError extends Error {
  /** The file path, URL or label the bytes came from. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'IdxFormatError';
    this.source = source;
  }
}

interface TypeInfo {
  code: number;
  byteSize: number;
}

const TYPE_INFO: Record<IdxDataType, TypeInfo> = {
  uint8: { code: 0x08, byteSize: 1 },
  int8: { code: 0x09, byteSize: 1 },
  int16: { code: 0x0b, byteSize: 2 },
  int32: { code: 0x0c, byteSize: 4 },
  float32: { code: 0x0d, byteSize: 4 },
  float64: { code: 0x0e, byteSize: 8 },
};

const TYPE_BY_CODE = new Map<number, IdxDataType>(
  Object.entries(TYPE_INFO).map(([name, info]) => [info.code, name as IdxDataType]),
);

/** Gzip streams start with these two bytes (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** A sane upper bound for one decompressed file; MNIST's largest is 47 MB. */
const DEFAULT_MAX_BYTES = 2 ** 30;

/** Options of `decodeIdx`. */
export interface DecodeIdxOptions {
  /** Names the bytes in error messages (a path or URL); default `'IDX data'`. */
  source?: string;
  /** Refuse gzip data that claims to inflate beyond this many bytes; default 1 GiB. */
  maxBytes?: number;
}

/** Whether `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

function gunzipChecked(bytes: Uint8Array, source: string, maxBytes: number): Uint8Array {
  // The trailer's ISIZE (size mod 2^32) is what a decoder would allocate; check it first.
  if (bytes.length < 18) {
    throw new IdxFormatError(source, `gzip data is truncated (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declaredSize = view.getUint32(bytes.length - 4, true);
  if (declaredSize > maxBytes) {
    throw new IdxFormatError(
      source,
      `gzip data declares ${declaredSize} decompressed bytes, more than the limit of ${maxBytes}`,
    );
  }
  let inflated: Uint8Array;
  try {
    inflated = gunzipSync(bytes);
  } catch (error) {
    throw new IdxFormatError(source, `gzip data is damaged (${(error as Error).message})`);
  }
  if (inflated.length !== declaredSize) {
    throw new IdxFormatError(
      source,
      `gzip data is damaged: inflated to ${inflated.length} bytes, its trailer says ${declaredSize}`,
    );
  }
  return inflated;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Decodes an IDX file (plain or gzipped, detected by the magic 1f 8b) into a typed array and its
 * shape. The header is validated and the byte count must match the dimensions exactly, so a
 * truncated or padded file fails with both counts in the message. The result never shares
 * memory with `bytes`.
 *
 * @example
 * const bytes = encodeIdx({ dataType: 'uint8', shape: [2, 2], data: Uint8Array.of(1, 2, 3, 4) });
 * const { dataType, shape, data } = decodeIdx(bytes, { source: 'tiny.idx' });
 * // dataType 'uint8', shape [2, 2], data Uint8Array [1, 2, 3, 4]
 */
export function decodeIdx(bytes: Uint8Array, options: DecodeIdxOptions = {}): IdxArray {
  const source = options.source ?? 'IDX data';
  if (isGzip(bytes)) bytes = gunzipChecked(bytes, source, options.maxBytes ?? DEFAULT_MAX_BYTES);

  if (bytes.length < 4) {
    throw new IdxFormatError(source, `too short for an IDX header (${bytes.length} bytes)`);
  }
  const typeCode = bytes[2]!;
  const dimCount = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), hex).join(' ');
    throw new IdxFormatError(
      source,
      `bad magic number ${magic}: an IDX file starts with 0x00 0x00 <type> <dims>`,
    );
  }
  const dataType = TYPE_BY_CODE.get(typeCode);
  if (dataType === undefined) {
    throw new IdxFormatError(
      source,
      `unknown data type ${hex(typeCode)} (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)`,
    );
  }
  if (dimCount === 0) throw new IdxFormatError(source, 'the header declares 0 dimensions');

  const headerBytes = 4 + 4 * dimCount;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      source,
      `truncated header: ${dimCount} dimensions need ${headerBytes} bytes, the data has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let axis = 0; axis < dimCount; axis++) shape.push(view.getUint32(4 + 4 * axis, false));

  // BigInt so that dimensions whose product overflows a double still give an exact message.
  const { byteSize } = TYPE_INFO[dataType];
  const expectedBytes = shape.reduce((acc, size) => acc * BigInt(size), BigInt(byteSize));
  const actualBytes = BigInt(bytes.length - headerBytes);
  if (expectedBytes !== actualBytes) {
    const what = actualBytes < expectedBytes ? 'truncated' : 'has trailing bytes';
    throw new IdxFormatError(
      source,
      `${what}: shape [${shape.join(', ')}] of ${dataType} needs ${expectedBytes} data bytes after the ${headerBytes}-byte header, found ${actualBytes}`,
    );
  }

  const count = Number(expectedBytes) / byteSize;
  return { dataType, shape, data: readBigEndian(view, headerBytes, dataType, count) };
}

function readBigEndian(
  view: DataView,
  offset: number,
  dataType: IdxDataType,
  count: number,
): IdxTypedArrays[IdxDataType] {
  switch (dataType) {
    case 'uint8':
      return new Uint8Array(
        view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count),
      );
    case 'int8':
      return new Int8Array(
        view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count),
      );
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Options of `encodeIdx`. */
export interface EncodeIdxOptions {
  /** Gzip the result, as the files usually ship; default false. */
  gzip?: boolean;
}

/**
 * Encodes a typed array and its shape as an IDX file (big-endian), optionally gzipped.
 *
 * @example
 * const labels = encodeIdx({ dataType: 'uint8', shape: [3], data: Uint8Array.of(7, 2, 1) });
 * // labels: 00 00 08 01 | 00 00 00 03 | 07 02 01
 * const images = encodeIdx(
 *   { dataType: 'float32', shape: [1, 2], data: Float32Array.of(0.5, 1) },
 *   { gzip: true },
 * );
 */
export function encodeIdx(array: IdxArray, options: EncodeIdxOptions = {}): Uint8Array {
  const { dataType, shape, data } = array;
  const info = TYPE_INFO[dataType];
  if (info === undefined) throw new RangeError(`encodeIdx: unknown data type '${dataType}'`);
  if (shape.length === 0 || shape.length > 255) {
    throw new RangeError(`encodeIdx: an IDX file has 1 to 255 dimensions, got ${shape.length}`);
  }
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) {
      throw new RangeError(
        `encodeIdx: dimension ${size} is not a u32 in shape [${shape.join(', ')}]`,
      );
    }
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(
      `encodeIdx: shape [${shape.join(', ')}] has ${count} elements but the data has ${data.length}`,
    );
  }

  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * info.byteSize);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((size, axis) => {
    view.setUint32(4 + 4 * axis, size, false);
  });
  const offset = headerBytes;
  if (info.byteSize === 1) {
    // One-byte values have no byte order: copy them (Int8Array wraps into the same bytes).
    out.set(new Uint8Array(data.buffer, data.byteOffset, count), offset);
    return options.gzip ? gzipSync(out) : out;
  }
  for (let i = 0; i < count; i++) {
    const value = data[i]!;
    switch (dataType) {
      case 'int16':
        view.setInt16(offset + 2 * i, value, false);
        break;
      case 'int32':
        view.setInt32(offset + 4 * i, value, false);
        break;
      case 'float32':
        view.setFloat32(offset + 4 * i, value, false);
        break;
      case 'float64':
        view.setFloat64(offset + 8 * i, value, false);
        break;
    }
  }
  return options.gzip ? gzipSync(out) : out;
}
