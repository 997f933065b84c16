import { getBackend, Tensor } from '@scratchnet/tensor';
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from './float16.js';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian u64 N, N bytes of UTF-8 JSON
 * naming each tensor's dtype, shape and [begin, end) byte range in the data that follows, and
 * the data itself: little-endian, row-major, packed with no gaps. Bytes in, bytes out, so it runs
 * the same in Node and in browsers.
 */

/** The dtypes this module reads and writes, as spelled in the header. */
export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

/** The typed array holding each dtype (F16 and BF16 as their 16-bit patterns). */
export interface SafetensorsArrays {
  /** 64-bit floats. */
  F64: Float64Array;
  /** 32-bit floats: scratchnet's own. */
  F32: Float32Array;
  /** IEEE half precision, as 16-bit patterns (see `float16BitsToFloat32`). */
  F16: Uint16Array;
  /** bfloat16, as 16-bit patterns (see `bfloat16BitsToFloat32`). */
  BF16: Uint16Array;
  /** 64-bit signed integers. */
  I64: BigInt64Array;
  /** 32-bit signed integers. */
  I32: Int32Array;
  /** 16-bit signed integers. */
  I16: Int16Array;
  /** 8-bit signed integers. */
  I8: Int8Array;
  /** 64-bit unsigned integers. */
  U64: BigUint64Array;
  /** 32-bit unsigned integers. */
  U32: Uint32Array;
  /** 16-bit unsigned integers. */
  U16: Uint16Array;
  /** Bytes. */
  U8: Uint8Array;
  /** Booleans, one byte each (0 or 1). */
  BOOL: Uint8Array;
}

/** One stored tensor: its dtype, shape, and values flat in row-major order. */
export type SafetensorsEntry = {
  [D in SafetensorsDtype]: {
    /** The element type. */
    dtype: D;
    /** The size of each axis. */
    shape: number[];
    /** The values, flat and row-major, in the typed array of `dtype`. */
    data: SafetensorsArrays[D];
  };
}[SafetensorsDtype];

/** A decoded file: its tensors by name, and the string-to-string `__metadata__`. */
export interface SafetensorsFile {
  /** The tensors, by name. */
  tensors: Record<string, SafetensorsEntry>;
  /** The `__metadata__` strings (empty when the file has none). */
  metadata: Record<string, string>;
}

/** A malformed safetensors file (or input that cannot be written); the message names the source. */
export class SafetensorsError extends Error {
  /** The file, link or label the bytes came from. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'SafetensorsError';
    this.source = source;
  }
}

interface DtypeInfo {
  byteSize: number;
  create(buffer: ArrayBuffer): SafetensorsEntry['data'];
  /** The typed array the data must be, so that its bytes are the right encoding. */
  arrayType: { name: string; prototype: object };
}

const DTYPES: Record<SafetensorsDtype, DtypeInfo> = {
  F64: { byteSize: 8, create: (b) => new Float64Array(b), arrayType: Float64Array },
  F32: { byteSize: 4, create: (b) => new Float32Array(b), arrayType: Float32Array },
  F16: { byteSize: 2, create: (b) => new Uint16Array(b), arrayType: Uint16Array },
  BF16: { byteSize: 2, create: (b) => new Uint16Array(b), arrayType: Uint16Array },
  I64: { byteSize: 8, create: (b) => new BigInt64Array(b), arrayType: BigInt64Array },
  I32: { byteSize: 4, create: (b) => new Int32Array(b), arrayType: Int32Array },
  I16: { byteSize: 2, create: (b) => new Int16Array(b), arrayType: Int16Array },
  I8: { byteSize: 1, create: (b) => new Int8Array(b), arrayType: Int8Array },
  U64: { byteSize: 8, create: (b) => new BigUint64Array(b), arrayType: BigUint64Array },
  U32: { byteSize: 4, create: (b) => new Uint32Array(b), arrayType: Uint32Array },
  U16: { byteSize: 2, create: (b) => new Uint16Array(b), arrayType: Uint16Array },
  U8: { byteSize: 1, create: (b) => new Uint8Array(b), arrayType: Uint8Array },
  BOOL: { byteSize: 1, create: (b) => new Uint8Array(b), arrayType: Uint8Array },
};

const METADATA_KEY = '__metadata__';

/** Headers larger than this are refused before being decoded (the Rust reader's limit). */
export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

/** Typed arrays use the platform's byte order; the format is little-endian. */
const platformIsLittleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function swapBytesInPlace(bytes: Uint8Array, byteSize: number): void {
  if (byteSize === 1) return;
  for (let i = 0; i < bytes.length; i += byteSize) bytes.subarray(i, i + byteSize).reverse();
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPES, value);
}

/** Sets an own property even for names like `__proto__`, which plain assignment would not. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * The element count of `shape`, exact up to 2^64; beyond that (any count no file can hold) it
 * stops multiplying, so a header with a million dimensions costs a million steps, not a
 * million-digit product.
 */
function product(shape: readonly number[]): bigint {
  if (shape.includes(0)) return 0n;
  const limit = 1n << 64n;
  let acc = 1n;
  for (const size of shape) {
    acc *= BigInt(size);
    if (acc > limit) return acc;
  }
  return acc;
}

/** Options of `encodeSafetensors`. */
export interface EncodeSafetensorsOptions {
  /** Names the output in error messages; default `'safetensors'`. */
  source?: string;
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file. Tensors are laid out by
 * decreasing element size, then name, as the Rust writer does, and the header is padded with
 * spaces to a multiple of 8 bytes, so every tensor starts aligned to its element size.
 *
 * @example
 * const bytes = encodeSafetensors(
 *   { 'fc.weight': { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) } },
 *   { format: 'pt' },
 * );
 * decodeSafetensors(bytes).tensors['fc.weight']?.shape; // [2, 2]
 */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsEntry>,
  metadata?: Record<string, string>,
  options: EncodeSafetensorsOptions = {},
): Uint8Array {
  const source = options.source ?? 'safetensors';
  const names = Object.keys(tensors);
  for (const name of names) {
    const entry = tensors[name]!;
    if (name === METADATA_KEY) {
      throw new SafetensorsError(source, `'${METADATA_KEY}' is reserved and cannot name a tensor`);
    }
    if (!isDtype(entry.dtype)) {
      throw new SafetensorsError(source, `tensor '${name}' has unknown dtype '${entry.dtype}'`);
    }
    const { arrayType } = DTYPES[entry.dtype];
    if (!(entry.data instanceof (arrayType as unknown as typeof Uint8Array))) {
      throw new SafetensorsError(
        source,
        `tensor '${name}' of dtype ${entry.dtype} must hold a ${arrayType.name}, not a ${entry.data?.constructor?.name}`,
      );
    }
    if (!entry.shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
      throw new SafetensorsError(source, `tensor '${name}' has a bad shape [${entry.shape}]`);
    }
    if (product(entry.shape) !== BigInt(entry.data.length)) {
      throw new SafetensorsError(
        source,
        `tensor '${name}' has shape [${entry.shape}] (${product(entry.shape)} elements) but ${entry.data.length} values`,
      );
    }
  }
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new SafetensorsError(source, `metadata '${key}' is not a string (${typeof value})`);
      }
    }
  }

  const byteSize = (name: string) => DTYPES[tensors[name]!.dtype].byteSize;
  const order = [...names].sort(
    (a, b) => byteSize(b) - byteSize(a) || (a < b ? -1 : a > b ? 1 : 0),
  );

  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const name of order) {
    const { dtype, shape, data } = tensors[name]!;
    const end = offset + data.length * DTYPES[dtype].byteSize;
    setOwn(header, name, { dtype, shape: [...shape], data_offsets: [offset, end] });
    offset = end;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes); // the Rust writer pads with spaces

  let cursor = 8 + headerBytes;
  for (const name of order) {
    const { dtype, data } = tensors[name]!;
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    out.set(raw, cursor);
    if (!platformIsLittleEndian)
      swapBytesInPlace(out.subarray(cursor, cursor + raw.length), DTYPES[dtype].byteSize);
    cursor += raw.length;
  }
  return out;
}

/** Options of `decodeSafetensors` and `safetensorsToTensors`. */
export interface DecodeSafetensorsOptions {
  /** Names the bytes in error messages (a path or URL); default `'safetensors'`. */
  source?: string;
  /** Refuse headers longer than this; default 100 MB. */
  maxHeaderBytes?: number;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array, source: string, maxHeaderBytes: number) {
  if (bytes.length < 8) {
    throw new SafetensorsError(
      source,
      `too short for a safetensors file: ${bytes.length} bytes, the header length alone takes 8`,
    );
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(maxHeaderBytes)) {
    throw new SafetensorsError(
      source,
      `header length ${declared} exceeds the limit of ${maxHeaderBytes} bytes (not a safetensors file, or damaged)`,
    );
  }
  if (declared > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(
      source,
      `header length ${declared} is more than the ${bytes.length - 8} bytes after it (truncated file?)`,
    );
  }
  const headerLength = Number(declared);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b) {
    throw new SafetensorsError(
      source,
      `the header does not start with '{' (not a safetensors file)`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsError(source, 'the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(
      source,
      `the header is not valid JSON (${(error as Error).message})`,
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, 'the header is not a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLength };
}

function parseMetadata(value: unknown, source: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (value === undefined || value === null) return metadata;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SafetensorsError(source, `'${METADATA_KEY}' is not an object of strings`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new SafetensorsError(source, `'${METADATA_KEY}' entry '${key}' is not a string`);
    }
    setOwn(metadata, key, item);
  }
  return metadata;
}

function parseEntry(name: string, value: unknown, source: string): HeaderEntry {
  const where = `tensor '${name}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsError(source, `${where}: the header entry is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDtype(dtype)) {
    throw new SafetensorsError(
      source,
      `${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`,
    );
  }
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SafetensorsError(
      source,
      `${where}: shape ${JSON.stringify(shape)} is not a list of sizes`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new SafetensorsError(
      source,
      `${where}: data_offsets ${JSON.stringify(offsets)} is not a [begin, end] pair of byte offsets`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) {
    throw new SafetensorsError(
      source,
      `${where}: data_offsets [${begin}, ${end}] end before they begin`,
    );
  }
  const expected = product(shape) * BigInt(DTYPES[dtype].byteSize);
  if (expected !== BigInt(end - begin)) {
    throw new SafetensorsError(
      source,
      `${where}: shape [${shape}] of ${dtype} takes ${expected} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/**
 * Decodes a safetensors file, validating it the way the Rust reader does: the header length
 * against the file size and a limit (before decoding it), each entry's dtype, shape and byte
 * range, and that the ranges tile the data exactly (no gaps, overlaps or trailing bytes). The
 * arrays are copies that do not share memory with `bytes`.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes, { source: 'model.safetensors' });
 * const weight = tensors['fc.weight'];
 * if (weight?.dtype === 'F32') weight.data; // Float32Array
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): SafetensorsFile {
  const source = options.source ?? 'safetensors';
  const { header, dataStart } = parseHeader(
    bytes,
    source,
    options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
  );
  const metadata = parseMetadata(header[METADATA_KEY], source);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseEntry(name, value, source));

  // The ranges must tile [0, data length) exactly: sort them and walk the cursor.
  const dataLength = bytes.length - dataStart;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: HeaderEntry | null = null;
  for (const entry of sorted) {
    if (entry.end > dataLength) {
      throw new SafetensorsError(
        source,
        `tensor '${entry.name}': data_offsets [${entry.begin}, ${entry.end}] run past the ${dataLength} data bytes (truncated file?)`,
      );
    }
    if (entry.begin > cursor) {
      throw new SafetensorsError(
        source,
        `gap in the data: bytes [${cursor}, ${entry.begin}) belong to no tensor (before '${entry.name}')`,
      );
    }
    if (entry.begin < cursor) {
      throw new SafetensorsError(
        source,
        `tensors '${previous?.name}' and '${entry.name}' overlap at data bytes [${entry.begin}, ${cursor})`,
      );
    }
    cursor = entry.end;
    previous = entry;
  }
  if (cursor !== dataLength) {
    throw new SafetensorsError(
      source,
      `the tensors cover ${cursor} data bytes but the file has ${dataLength} after the header`,
    );
  }

  const tensors: Record<string, SafetensorsEntry> = {};
  for (const { name, dtype, shape, begin, end } of entries) {
    // A fresh, aligned copy: typed arrays need aligned offsets. (Not bytes.slice(): on a Node
    // Buffer, slice() returns a view.)
    const raw = new Uint8Array(end - begin);
    raw.set(bytes.subarray(dataStart + begin, dataStart + end));
    if (!platformIsLittleEndian) swapBytesInPlace(raw, DTYPES[dtype].byteSize);
    setOwn(tensors, name, {
      dtype,
      shape,
      data: DTYPES[dtype].create(raw.buffer),
    } as SafetensorsEntry);
  }
  return { tensors, metadata };
}

/**
 * Any entry's values as float32 (F16/BF16 decoded, integers converted; 64-bit integers beyond
 * 2^24 lose precision, as they would in any float32).
 *
 * @example
 * entryToFloat32({ dtype: 'F16', shape: [1], data: Uint16Array.of(0x3c00) }); // Float32Array [1]
 */
export function entryToFloat32(entry: SafetensorsEntry): Float32Array {
  switch (entry.dtype) {
    case 'F32':
      return entry.data.slice();
    case 'F16':
      return Float32Array.from(entry.data, float16BitsToFloat32);
    case 'BF16':
      return Float32Array.from(entry.data, bfloat16BitsToFloat32);
    case 'I64':
    case 'U64':
      return Float32Array.from(entry.data as ArrayLike<bigint>, (value) => Number(value));
    default:
      return Float32Array.from(entry.data as ArrayLike<number>);
  }
}

/** The float dtypes a scratchnet `Tensor` (float32) can be stored as. */
export type FloatDtype = 'F32' | 'F16' | 'BF16' | 'F64';

/** Options of `tensorsToSafetensors`. */
export interface TensorsToSafetensorsOptions {
  /** String key-value pairs stored in `__metadata__`. */
  metadata?: Record<string, string>;
  /** The stored dtype; default F32 (lossless). F16/BF16 halve the size, rounding to nearest even. */
  dtype?: FloatDtype;
}

/**
 * Encodes scratchnet tensors as a safetensors file.
 *
 * @example
 * const bytes = tensorsToSafetensors({ W1: randn([784, 50]), b1: zeros([50]) }, {
 *   metadata: { model: 'two-layer-net' },
 * });
 */
export function tensorsToSafetensors(
  tensors: Record<string, Tensor>,
  options: TensorsToSafetensorsOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? 'F32';
  const entries: Record<string, SafetensorsEntry> = {};
  for (const [name, tensor] of Object.entries(tensors)) {
    const values = tensor.dataSync();
    const shape = [...tensor.shape];
    let entry: SafetensorsEntry;
    switch (dtype) {
      case 'F32':
        entry = { dtype, shape, data: values };
        break;
      case 'F64':
        entry = { dtype, shape, data: Float64Array.from(values) };
        break;
      case 'F16':
        entry = { dtype, shape, data: Uint16Array.from(values, float32ToFloat16Bits) };
        break;
      case 'BF16':
        entry = { dtype, shape, data: Uint16Array.from(values, float32ToBfloat16Bits) };
        break;
      default:
        throw new SafetensorsError(
          'tensorsToSafetensors',
          `cannot store tensors as dtype '${dtype}'`,
        );
    }
    setOwn(entries, name, entry);
  }
  return encodeSafetensors(entries, options.metadata, { source: 'tensorsToSafetensors' });
}

/**
 * Decodes a safetensors file into scratchnet tensors (float32, whatever the stored dtype).
 *
 * @example
 * const { tensors, metadata } = safetensorsToTensors(bytes, { source: 'net.safetensors' });
 * tensors.W1?.shape; // [784, 50]
 */
export function safetensorsToTensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): {
  /** The tensors, by name, as float32 on the active backend. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings. */
  metadata: Record<string, string>;
} {
  const file = decodeSafetensors(bytes, options);
  const backend = getBackend();
  const tensors: Record<string, Tensor> = {};
  for (const [name, entry] of Object.entries(file.tensors)) {
    setOwn(tensors, name, new Tensor(backend.upload(entryToFloat32(entry)), entry.shape, backend));
  }
  return { tensors, metadata: file.metadata };
}
