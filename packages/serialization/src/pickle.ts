import { float16BitsToFloat32 } from './float16.js';

/**
 * A restricted unpickler for parameter files saved by the book's Python code (`pickle.dump` of a
 * dict of numpy arrays). It interprets pickle opcodes as data only: it knows the handful of numpy
 * globals that rebuild an array and refuses every other global by name, so a hostile file can
 * never run anything (unlike Python's `pickle.load`).
 *
 * Supported: protocols 2–4 (and protocol 5 with in-band buffers), numpy arrays of little-endian
 * numeric dtypes in C or Fortran order (returned in C order), strings, bytes, numbers, booleans,
 * None, lists, tuples and dicts.
 */

/** The numpy dtypes this reader understands, by numpy's name. */
export type NumpyDtype =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

/** The typed array holding each dtype (float16 as its bit patterns, bool as 0/1 bytes). */
export interface NumpyTypedArrays {
  /** Half precision floats, as 16-bit patterns (see `float16BitsToFloat32`). */
  float16: Uint16Array;
  /** 32-bit floats. */
  float32: Float32Array;
  /** 64-bit floats: numpy's default, the book's parameters. */
  float64: Float64Array;
  /** 8-bit signed integers. */
  int8: Int8Array;
  /** Bytes. */
  uint8: Uint8Array;
  /** 16-bit signed integers. */
  int16: Int16Array;
  /** 16-bit unsigned integers. */
  uint16: Uint16Array;
  /** 32-bit signed integers. */
  int32: Int32Array;
  /** 32-bit unsigned integers. */
  uint32: Uint32Array;
  /** 64-bit signed integers. */
  int64: BigInt64Array;
  /** 64-bit unsigned integers. */
  uint64: BigUint64Array;
  /** Booleans, one byte each (0 or 1). */
  bool: Uint8Array;
}

/**
 * A numpy array: dtype, shape and values in C (row-major) order. `fortranOrder` records that the
 * file stored it column-major; the values have been reordered already.
 */
export type NumpyArray = {
  [D in NumpyDtype]: {
    /** The element type, by numpy's name. */
    dtype: D;
    /** The size of each axis. */
    shape: number[];
    /** The values, flat in C (row-major) order. */
    data: NumpyTypedArrays[D];
    /** Whether the file stored the array column-major (the values are reordered already). */
    fortranOrder: boolean;
  };
}[NumpyDtype];

/** A malformed or unsupported pickle; the message names the source and, where known, the offset. */
export class UnpicklingError extends Error {
  /** The file, link or label the bytes came from. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'UnpicklingError';
    this.source = source;
  }
}

/** The pickle names a global (a Python function or class) this reader refuses to touch. */
export class ForbiddenGlobalError extends UnpicklingError {
  /** The refused global, as `module.name`. */
  readonly globalName: string;

  constructor(source: string, globalName: string, offset: number) {
    super(
      source,
      `refusing global '${globalName}' at offset ${offset}: only numpy array reconstruction is allowed (${[...ALLOWED_GLOBALS.keys()].join(', ')})`,
    );
    this.name = 'ForbiddenGlobalError';
    this.globalName = globalName;
  }
}

type GlobalRole = 'reconstruct' | 'ndarray' | 'dtype' | 'codecsEncode' | 'frombuffer' | 'bytes';

/** Every global this reader accepts, and what it stands for. Nothing else is ever resolved. */
const ALLOWED_GLOBALS = new Map<string, GlobalRole>([
  ['numpy.core.multiarray._reconstruct', 'reconstruct'],
  ['numpy._core.multiarray._reconstruct', 'reconstruct'],
  ['numpy.ndarray', 'ndarray'],
  ['numpy.dtype', 'dtype'],
  // Protocol 2 has no bytes opcode: Python 3 writes bytes as _codecs.encode(text, 'latin1').
  ['_codecs.encode', 'codecsEncode'],
  // ... and empty bytes as bytes() (`__builtin__` under protocol 2's fix_imports).
  ['__builtin__.bytes', 'bytes'],
  ['builtins.bytes', 'bytes'],
  // Protocol 5 pickles arrays as _frombuffer(buffer, dtype, shape, order).
  ['numpy.core.numeric._frombuffer', 'frombuffer'],
  ['numpy._core.numeric._frombuffer', 'frombuffer'],
]);

/** A resolved (allowed) global. */
class GlobalRef {
  constructor(
    readonly qualifiedName: string,
    readonly role: GlobalRole,
  ) {}
}

/** `numpy.dtype(...)`, waiting for BUILD to give its byte order. */
class DtypeValue {
  byteOrder: string | null = null;
  constructor(
    readonly dtype: NumpyDtype,
    readonly typestr: string,
  ) {}
}

/** `_reconstruct(ndarray, ...)`: an empty array that BUILD fills in. */
class PendingArray {
  array: NumpyArray | null = null;
}

/** A Python tuple (a list is a plain, unfrozen JS array). */
type Tuple = readonly PickleValue[];

/** What the unpickler's stack holds. */
type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | Tuple
  | Map<PickleValue, PickleValue>
  | GlobalRef
  | DtypeValue
  | PendingArray;

/** A decoded pickle: plain JS values, numpy arrays, lists/tuples as arrays, dicts as Maps. */
export type UnpickledValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | NumpyArray
  | readonly UnpickledValue[]
  | Map<UnpickledValue, UnpickledValue>;

interface DtypeInfo {
  dtype: NumpyDtype;
  byteSize: number;
  create(buffer: ArrayBuffer): NumpyArray['data'];
}

/** numpy typestrs (kind + item size, as `dtype.__reduce__` writes them). */
const TYPESTRS: Record<string, DtypeInfo> = {
  f2: { dtype: 'float16', byteSize: 2, create: (b) => new Uint16Array(b) },
  f4: { dtype: 'float32', byteSize: 4, create: (b) => new Float32Array(b) },
  f8: { dtype: 'float64', byteSize: 8, create: (b) => new Float64Array(b) },
  i1: { dtype: 'int8', byteSize: 1, create: (b) => new Int8Array(b) },
  u1: { dtype: 'uint8', byteSize: 1, create: (b) => new Uint8Array(b) },
  i2: { dtype: 'int16', byteSize: 2, create: (b) => new Int16Array(b) },
  u2: { dtype: 'uint16', byteSize: 2, create: (b) => new Uint16Array(b) },
  i4: { dtype: 'int32', byteSize: 4, create: (b) => new Int32Array(b) },
  u4: { dtype: 'uint32', byteSize: 4, create: (b) => new Uint32Array(b) },
  i8: { dtype: 'int64', byteSize: 8, create: (b) => new BigInt64Array(b) },
  u8: { dtype: 'uint64', byteSize: 8, create: (b) => new BigUint64Array(b) },
  b1: { dtype: 'bool', byteSize: 1, create: (b) => new Uint8Array(b) },
};

/** Typed arrays use the platform's byte order; the files hold little-endian data. */
const platformIsLittleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Opcodes this reader knows but refuses, named in the error (see Python's pickletools). */
const UNSUPPORTED_OPCODES: Record<number, string> = {
  129: 'NEWOBJ',
  146: 'NEWOBJ_EX',
  105: 'INST',
  111: 'OBJ',
  80: 'PERSID',
  81: 'BINPERSID',
  130: 'EXT1',
  131: 'EXT2',
  132: 'EXT4',
  143: 'EMPTY_SET',
  144: 'ADDITEMS',
  145: 'FROZENSET',
  151: 'NEXT_BUFFER',
  73: 'INT',
  76: 'LONG',
  70: 'FLOAT',
  83: 'STRING',
  86: 'UNICODE',
  112: 'PUT',
  103: 'GET',
};

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Options of `unpickle` and `decodeNumpyPickle`. */
export interface UnpickleOptions {
  /** Names the bytes in error messages (a path or URL); default `'pickle'`. */
  source?: string;
}

function describeValue(value: PickleValue): string {
  if (value === null) return 'None';
  if (value instanceof GlobalRef) return value.qualifiedName;
  if (value instanceof DtypeValue) return `dtype('${value.typestr}')`;
  if (value instanceof PendingArray) return 'ndarray';
  if (value instanceof Map) return 'dict';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'tuple' : 'list';
  return typeof value;
}

function isTuple(value: PickleValue): value is Tuple {
  return Array.isArray(value) && Object.isFrozen(value);
}

function isList(value: PickleValue): value is PickleValue[] {
  return Array.isArray(value) && !Object.isFrozen(value);
}

/** Reorders column-major values into row-major ones. */
function fortranToC<T extends NumpyArray['data']>(values: T, shape: readonly number[]): T {
  const rank = shape.length;
  if (rank < 2 || values.length === 0) return values;
  const out = new (values.constructor as new (length: number) => T)(values.length);
  const fortranStrides: number[] = [];
  let stride = 1;
  for (const size of shape) {
    fortranStrides.push(stride);
    stride *= size;
  }
  const position = new Array<number>(rank).fill(0);
  let source = 0;
  for (let target = 0; target < values.length; target++) {
    out[target] = values[source]!;
    // Step the row-major multi-index like an odometer, tracking its column-major offset.
    for (let axis = rank - 1; axis >= 0; axis--) {
      position[axis]!++;
      source += fortranStrides[axis]!;
      if (position[axis]! < shape[axis]!) break;
      source -= fortranStrides[axis]! * shape[axis]!;
      position[axis] = 0;
    }
  }
  return out;
}

class Unpickler {
  private position = 0;
  /** Where the opcode being run starts, for messages. */
  private opcodeOffset = 0;
  private stack: PickleValue[] = [];
  private readonly metastack: PickleValue[][] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(problem: string): never {
    throw new UnpicklingError(this.source, `${problem} (at offset ${this.opcodeOffset})`);
  }

  // --- reading arguments, always within bounds ---

  private need(count: number, what: string): void {
    const left = this.bytes.length - this.position;
    if (count > left) {
      this.fail(`truncated pickle: ${what} needs ${count} bytes, only ${left} left`);
    }
  }

  private u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.position++]!;
  }

  private u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  private u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  private i32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.position, true);
    this.position += 4;
    return value;
  }

  /** A u64 length, which must fit what is left of the file (checked before any allocation). */
  private u64Length(what: string): number {
    this.need(8, what);
    const value = this.view.getBigUint64(this.position, true);
    this.position += 8;
    const left = this.bytes.length - this.position;
    if (value > BigInt(left)) {
      this.fail(`truncated pickle: ${what} declares ${value} bytes, only ${left} left`);
    }
    return Number(value);
  }

  private take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return slice;
  }

  private utf8(bytes: Uint8Array, what: string): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  private latin1(bytes: Uint8Array): string {
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }

  private line(what: string): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) this.fail(`truncated pickle: ${what} has no end of line`);
    const text = this.latin1(this.bytes.subarray(this.position, end));
    this.position = end + 1;
    return text;
  }

  // --- the stack ---

  private pop(what: string): PickleValue {
    if (this.stack.length === 0) this.fail(`${what} found an empty stack (malformed pickle)`);
    return this.stack.pop()!;
  }

  private top(what: string): PickleValue {
    if (this.stack.length === 0) this.fail(`${what} found an empty stack (malformed pickle)`);
    return this.stack[this.stack.length - 1]!;
  }

  private popMark(what: string): PickleValue[] {
    const items = this.stack;
    const previous = this.metastack.pop();
    if (previous === undefined) this.fail(`${what} without a MARK before it`);
    this.stack = previous;
    return items;
  }

  private tuple(items: PickleValue[]): Tuple {
    return Object.freeze(items);
  }

  // --- globals and calls ---

  private resolveGlobal(module: string, name: string): GlobalRef {
    const qualifiedName = `${module}.${name}`;
    const role = ALLOWED_GLOBALS.get(qualifiedName);
    if (role === undefined)
      throw new ForbiddenGlobalError(this.source, qualifiedName, this.opcodeOffset);
    return new GlobalRef(qualifiedName, role);
  }

  private reduce(callable: PickleValue, args: PickleValue): PickleValue {
    if (!(callable instanceof GlobalRef)) {
      this.fail(`REDUCE calls a ${describeValue(callable)}, not an allowed global`);
    }
    if (!isTuple(args))
      this.fail(`REDUCE of ${callable.qualifiedName} with ${describeValue(args)} arguments`);
    const name = callable.qualifiedName;
    switch (callable.role) {
      case 'reconstruct': {
        // _reconstruct(ndarray, (0,), b'b') makes an empty array for BUILD to fill.
        const [cls, shape, typecode] = args;
        if (args.length !== 3 || !(cls instanceof GlobalRef) || cls.role !== 'ndarray') {
          this.fail(
            `${name} called with (${args.map(describeValue).join(', ')}); only (numpy.ndarray, shape, typecode) is allowed`,
          );
        }
        if (
          !isTuple(shape ?? null) ||
          !(typecode instanceof Uint8Array || typeof typecode === 'string')
        ) {
          this.fail(
            `${name} called with a bad shape or typecode (${args.map(describeValue).join(', ')})`,
          );
        }
        return new PendingArray();
      }
      case 'dtype': {
        const [typestr] = args;
        if (typeof typestr !== 'string' || args.length > 3) {
          this.fail(
            `numpy.dtype called with (${args.map(describeValue).join(', ')}); expected a type string`,
          );
        }
        return this.dtypeFromTypestr(typestr);
      }
      case 'codecsEncode': {
        const [text, encoding] = args;
        if (typeof text !== 'string' || args.length !== 2) {
          this.fail(`_codecs.encode called with (${args.map(describeValue).join(', ')})`);
        }
        if (encoding !== 'latin1' && encoding !== 'latin-1') {
          this.fail(
            `_codecs.encode with encoding ${JSON.stringify(encoding)}; only 'latin1' is allowed`,
          );
        }
        return this.latin1Bytes(text);
      }
      case 'bytes':
        if (args.length !== 0) this.fail(`${name} called with arguments; only bytes() is allowed`);
        return new Uint8Array(0);
      case 'frombuffer': {
        // _frombuffer(buffer, dtype, shape, order), as numpy pickles with protocol 5.
        const [buffer, dtype, shape, order] = args;
        if (
          !(buffer instanceof Uint8Array) ||
          !(dtype instanceof DtypeValue) ||
          args.length !== 4
        ) {
          this.fail(`${name} called with (${args.map(describeValue).join(', ')})`);
        }
        if (order !== 'C' && order !== 'F')
          this.fail(`${name} with order ${JSON.stringify(order)}`);
        const pending = new PendingArray();
        pending.array = this.makeArray(shape ?? null, dtype, order === 'F', buffer);
        return pending;
      }
      case 'ndarray':
        return this.fail(`${name} may only be passed to _reconstruct, not called`);
    }
  }

  private dtypeFromTypestr(typestr: string): DtypeValue {
    const match = /^([<>|=]?)([a-zA-Z]\d+)$/.exec(typestr);
    const info = match ? TYPESTRS[match[2]!] : undefined;
    if (!match || info === undefined) {
      this.fail(
        `unsupported numpy dtype '${typestr}' (supported: ${Object.keys(TYPESTRS).join(', ')}; object and structured arrays are refused)`,
      );
    }
    const dtype = new DtypeValue(info.dtype, typestr);
    if (match[1]) dtype.byteOrder = this.checkByteOrder(match[1], typestr, info);
    return dtype;
  }

  private checkByteOrder(order: string, typestr: string, info: DtypeInfo): string {
    if (order === '>' && info.byteSize > 1) {
      this.fail(
        `big-endian dtype '>${typestr.replace(/^[<>|=]/, '')}' is not supported; save little-endian arrays (arr.astype('<${typestr.replace(/^[<>|=]/, '')}'))`,
      );
    }
    if (order !== '<' && order !== '|' && order !== '>') {
      this.fail(`unknown byte order '${order}' for dtype '${typestr}'`);
    }
    if (order === '|' && info.byteSize > 1) {
      this.fail(`dtype '${typestr}' has ${info.byteSize}-byte items but no byte order ('|')`);
    }
    return order;
  }

  private latin1Bytes(text: string): Uint8Array {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0xff)
        this.fail(`byte string has a character U+${code.toString(16)} beyond latin-1`);
      out[i] = code;
    }
    return out;
  }

  private makeArray(
    shapeValue: PickleValue,
    dtype: DtypeValue,
    fortranOrder: boolean,
    raw: Uint8Array,
  ): NumpyArray {
    if (
      !isTuple(shapeValue) ||
      !shapeValue.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
    ) {
      this.fail(`array shape ${describeValue(shapeValue)} is not a tuple of sizes`);
    }
    const shape = shapeValue as number[];
    const info = TYPESTRS[dtype.typestr.replace(/^[<>|=]/, '')]!;
    if (dtype.byteOrder === null && info.byteSize > 1) {
      // numpy always pickles the byte order (as the dtype's BUILD state); never guess it.
      this.fail(`dtype '${dtype.typestr}' was never given a byte order`);
    }
    // Exact up to 2^64, then no further (a million-dimension shape must not cost a huge product).
    let expected = shape.includes(0) ? 0n : BigInt(info.byteSize);
    for (const n of shape) {
      if (expected === 0n || expected > 1n << 64n) break;
      expected *= BigInt(n);
    }
    if (expected !== BigInt(raw.length)) {
      this.fail(
        `array of shape (${shape.join(', ')}) and dtype ${info.dtype} needs ${expected} bytes, the pickle has ${raw.length}`,
      );
    }
    // A fresh, aligned buffer that does not share memory with the file. (Not raw.slice(): on a
    // Node Buffer, slice() returns a view.)
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    if (!platformIsLittleEndian && info.byteSize > 1) {
      for (let i = 0; i < copy.length; i += info.byteSize)
        copy.subarray(i, i + info.byteSize).reverse();
    }
    const data = info.create(copy.buffer);
    return {
      dtype: info.dtype,
      shape: [...shape],
      data: fortranOrder ? fortranToC(data, shape) : data,
      fortranOrder,
    } as NumpyArray;
  }

  private build(target: PickleValue, state: PickleValue): void {
    if (target instanceof DtypeValue) {
      // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
      if (!isTuple(state) || state.length < 8)
        this.fail(`dtype state is a ${describeValue(state)}, not a tuple of 8`);
      const [, order, subarray, names, fields] = state;
      if (subarray !== null || names !== null || fields !== null) {
        this.fail(`structured or sub-array dtype '${target.typestr}' is not supported`);
      }
      if (typeof order !== 'string') this.fail('dtype byte order is not a string');
      target.byteOrder = this.checkByteOrder(
        order,
        target.typestr,
        TYPESTRS[target.typestr.replace(/^[<>|=]/, '')]!,
      );
      return;
    }
    if (target instanceof PendingArray) {
      // (version, shape, dtype, is_fortran, raw) or, from old numpy, the same without version.
      if (!isTuple(state) || (state.length !== 5 && state.length !== 4)) {
        this.fail(`ndarray state is a ${describeValue(state)}, not a tuple of 4 or 5`);
      }
      const [shape, dtype, fortran, raw] = state.length === 5 ? state.slice(1) : state;
      if (!(dtype instanceof DtypeValue))
        this.fail(`ndarray state has ${describeValue(dtype ?? null)} as its dtype`);
      if (typeof fortran !== 'boolean' && fortran !== 0 && fortran !== 1) {
        this.fail(`ndarray state has ${describeValue(fortran ?? null)} as its Fortran-order flag`);
      }
      let bytes: Uint8Array;
      if (raw instanceof Uint8Array) bytes = raw;
      else if (typeof raw === 'string')
        bytes = this.latin1Bytes(raw); // Python 2 str, read as latin-1
      else
        this.fail(
          `ndarray data is a ${describeValue(raw ?? null)} (object arrays are not supported)`,
        );
      target.array = this.makeArray(shape ?? null, dtype, Boolean(fortran), bytes);
      return;
    }
    this.fail(`BUILD on a ${describeValue(target)} is not allowed`);
  }

  // --- the main loop ---

  run(): PickleValue {
    const { bytes } = this;
    while (this.position < bytes.length) {
      this.opcodeOffset = this.position;
      const opcode = bytes[this.position++]!;
      switch (opcode) {
        case 0x80: {
          const protocol = this.u8('PROTO');
          if (protocol < 2 || protocol > 5)
            this.fail(`unsupported pickle protocol ${protocol} (2 to 5 are)`);
          break;
        }
        case 0x95: // FRAME: a length prefix for buffering; the contents are ordinary opcodes.
          this.u64Length('FRAME');
          break;
        case 0x2e: // STOP
          return this.pop('STOP');

        case 0x4e: // NONE
          this.stack.push(null);
          break;
        case 0x88: // NEWTRUE
          this.stack.push(true);
          break;
        case 0x89: // NEWFALSE
          this.stack.push(false);
          break;
        case 0x4a: // BININT
          this.stack.push(this.i32('BININT'));
          break;
        case 0x4b: // BININT1
          this.stack.push(this.u8('BININT1'));
          break;
        case 0x4d: // BININT2
          this.stack.push(this.u16('BININT2'));
          break;
        case 0x8a: // LONG1
          this.stack.push(this.long(this.u8('LONG1'), 'LONG1'));
          break;
        case 0x8b: {
          // LONG4
          const length = this.i32('LONG4');
          if (length < 0) this.fail(`LONG4 with negative length ${length}`);
          this.stack.push(this.long(length, 'LONG4'));
          break;
        }
        case 0x47: // BINFLOAT: big-endian, unlike everything else
          this.need(8, 'BINFLOAT');
          this.stack.push(this.view.getFloat64(this.position, false));
          this.position += 8;
          break;

        case 0x8c: // SHORT_BINUNICODE
          this.stack.push(
            this.utf8(
              this.take(this.u8('SHORT_BINUNICODE'), 'SHORT_BINUNICODE'),
              'SHORT_BINUNICODE',
            ),
          );
          break;
        case 0x58: // BINUNICODE
          this.stack.push(this.utf8(this.take(this.u32('BINUNICODE'), 'BINUNICODE'), 'BINUNICODE'));
          break;
        case 0x8d: // BINUNICODE8
          this.stack.push(
            this.utf8(this.take(this.u64Length('BINUNICODE8'), 'BINUNICODE8'), 'BINUNICODE8'),
          );
          break;
        case 0x55: // SHORT_BINSTRING: a Python 2 str, read as latin-1 (numpy's advice)
          this.stack.push(this.latin1(this.take(this.u8('SHORT_BINSTRING'), 'SHORT_BINSTRING')));
          break;
        case 0x54: {
          // BINSTRING
          const length = this.i32('BINSTRING');
          if (length < 0) this.fail(`BINSTRING with negative length ${length}`);
          this.stack.push(this.latin1(this.take(length, 'BINSTRING')));
          break;
        }
        case 0x43: // SHORT_BINBYTES
          this.stack.push(this.take(this.u8('SHORT_BINBYTES'), 'SHORT_BINBYTES'));
          break;
        case 0x42: // BINBYTES
          this.stack.push(this.take(this.u32('BINBYTES'), 'BINBYTES'));
          break;
        case 0x8e: // BINBYTES8
          this.stack.push(this.take(this.u64Length('BINBYTES8'), 'BINBYTES8'));
          break;
        case 0x96: // BYTEARRAY8 (protocol 5 in-band buffer)
          this.stack.push(this.take(this.u64Length('BYTEARRAY8'), 'BYTEARRAY8'));
          break;
        case 0x98: // READONLY_BUFFER: a no-op for in-band data
          this.top('READONLY_BUFFER');
          break;

        case 0x7d: // EMPTY_DICT
          this.stack.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          this.stack.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          this.stack.push(this.tuple([]));
          break;
        case 0x28: // MARK
          this.metastack.push(this.stack);
          this.stack = [];
          break;
        case 0x31: // POP_MARK
          this.popMark('POP_MARK');
          break;
        case 0x30: // POP
          this.pop('POP');
          break;
        case 0x32: // DUP
          this.stack.push(this.top('DUP'));
          break;
        case 0x74: {
          // TUPLE. (popMark replaces this.stack, so take the items before touching the stack.)
          const items = this.popMark('TUPLE');
          this.stack.push(this.tuple(items));
          break;
        }
        case 0x85: // TUPLE1
          this.stack.push(this.tuple([this.pop('TUPLE1')]));
          break;
        case 0x86: {
          // TUPLE2
          const second = this.pop('TUPLE2');
          this.stack.push(this.tuple([this.pop('TUPLE2'), second]));
          break;
        }
        case 0x87: {
          // TUPLE3
          const third = this.pop('TUPLE3');
          const second = this.pop('TUPLE3');
          this.stack.push(this.tuple([this.pop('TUPLE3'), second, third]));
          break;
        }
        case 0x6c: {
          // LIST
          const items = this.popMark('LIST');
          this.stack.push(items);
          break;
        }
        case 0x64: {
          // DICT
          const dict = new Map<PickleValue, PickleValue>();
          this.setItems(dict, this.popMark('DICT'), 'DICT');
          this.stack.push(dict);
          break;
        }
        case 0x73: {
          // SETITEM
          const value = this.pop('SETITEM');
          const key = this.pop('SETITEM');
          this.setItems(this.top('SETITEM'), [key, value], 'SETITEM');
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark('SETITEMS');
          this.setItems(this.top('SETITEMS'), items, 'SETITEMS');
          break;
        }
        case 0x61: {
          // APPEND
          const item = this.pop('APPEND');
          this.appendItems(this.top('APPEND'), [item], 'APPEND');
          break;
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark('APPENDS');
          this.appendItems(this.top('APPENDS'), items, 'APPENDS');
          break;
        }

        case 0x71: // BINPUT
          this.memo.set(this.u8('BINPUT'), this.top('BINPUT'));
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.u32('LONG_BINPUT'), this.top('LONG_BINPUT'));
          break;
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top('MEMOIZE'));
          break;
        case 0x68: // BINGET
          this.stack.push(this.memoGet(this.u8('BINGET'), 'BINGET'));
          break;
        case 0x6a: // LONG_BINGET
          this.stack.push(this.memoGet(this.u32('LONG_BINGET'), 'LONG_BINGET'));
          break;

        case 0x63: {
          // GLOBAL: "module\nname\n"
          const module = this.line('GLOBAL module');
          const name = this.line('GLOBAL name');
          this.stack.push(this.resolveGlobal(module, name));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop('STACK_GLOBAL');
          const module = this.pop('STACK_GLOBAL');
          if (typeof module !== 'string' || typeof name !== 'string') {
            this.fail(
              `STACK_GLOBAL with a ${describeValue(module)} and a ${describeValue(name)} instead of two strings`,
            );
          }
          this.stack.push(this.resolveGlobal(module, name));
          break;
        }
        case 0x52: {
          // REDUCE
          const args = this.pop('REDUCE');
          const callable = this.pop('REDUCE');
          this.stack.push(this.reduce(callable, args));
          break;
        }
        case 0x62: {
          // BUILD
          const state = this.pop('BUILD');
          this.build(this.top('BUILD'), state);
          break;
        }

        default: {
          const known = UNSUPPORTED_OPCODES[opcode];
          const shown = `0x${opcode.toString(16).padStart(2, '0')}`;
          this.fail(
            known
              ? `opcode ${known} (${shown}) is not supported by this restricted unpickler`
              : `unknown opcode ${shown}`,
          );
        }
      }
    }
    return this.fail('truncated pickle: the data ended before STOP');
  }

  private long(length: number, what: string): number | bigint {
    const bytes = this.take(length, what);
    if (length === 0) return 0;
    // Little-endian two's complement of any length, read through one hex string (linear time,
    // where shifting a BigInt byte by byte would be quadratic in a long LONG4).
    let hex = '0x';
    for (let i = length - 1; i >= 0; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
    let value = BigInt(hex);
    if (bytes[length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value;
  }

  private memoGet(index: number, what: string): PickleValue {
    if (!this.memo.has(index)) this.fail(`${what} ${index} refers to nothing memoized`);
    return this.memo.get(index)!;
  }

  private setItems(target: PickleValue, items: PickleValue[], what: string): void {
    if (!(target instanceof Map)) this.fail(`${what} on a ${describeValue(target)}, not a dict`);
    if (items.length % 2 !== 0) this.fail(`${what} with an odd number of items`);
    for (let i = 0; i < items.length; i += 2) target.set(items[i]!, items[i + 1]!);
  }

  private appendItems(target: PickleValue, items: PickleValue[], what: string): void {
    if (!isList(target)) this.fail(`${what} on a ${describeValue(target)}, not a list`);
    target.push(...items);
  }
}

/** How deeply lists, tuples and dicts may nest in a result (Python's own limit is about 1000). */
const MAX_NESTING = 1000;

/**
 * Replaces reader-internal values by what the caller sees (arrays finished, globals refused).
 * Containers shared through the memo stay shared (each is finished once, so a pickle of 2^60
 * references to one list costs what its bytes cost), and a container that holds itself stays
 * recursive, as in Python; nesting is limited so that no input can exhaust the call stack.
 */
function finish(
  value: PickleValue,
  source: string,
  done = new Map<object, UnpickledValue>(),
  depth = 0,
): UnpickledValue {
  if (typeof value === 'object' && value !== null && done.has(value)) return done.get(value)!;
  if (depth > MAX_NESTING) {
    throw new UnpicklingError(source, `containers nest deeper than ${MAX_NESTING} levels`);
  }
  if (value instanceof PendingArray) {
    if (value.array === null)
      throw new UnpicklingError(source, 'an ndarray was never given its data (no BUILD)');
    return value.array;
  }
  if (value instanceof GlobalRef || value instanceof DtypeValue) {
    throw new UnpicklingError(
      source,
      `the result contains ${describeValue(value)}, which is not data`,
    );
  }
  if (value instanceof Map) {
    const out = new Map<UnpickledValue, UnpickledValue>();
    done.set(value, out);
    for (const [key, item] of value) {
      out.set(finish(key, source, done, depth + 1), finish(item, source, done, depth + 1));
    }
    return out;
  }
  if (Array.isArray(value)) {
    const items: UnpickledValue[] = [];
    done.set(value, items);
    for (const item of value) items.push(finish(item, source, done, depth + 1));
    return Object.isFrozen(value) ? Object.freeze(items) : items;
  }
  // Bytes are views into the input until here: hand out copies.
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  return value as UnpickledValue;
}

/**
 * Decodes a pickle into plain values (dicts as `Map`s, tuples as frozen arrays, numpy arrays as
 * `NumpyArray`), refusing anything but data and numpy arrays.
 *
 * @example
 * // pickle.dumps({'a': 1}, protocol=2)
 * const bytes = Uint8Array.of(0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x4b, 1, 0x73, 0x2e);
 * unpickle(bytes); // Map { 'a' => 1 }
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions = {}): UnpickledValue {
  const source = options.source ?? 'pickle';
  return finish(new Unpickler(bytes, source).run(), source);
}

function isNumpyArray(value: UnpickledValue): value is NumpyArray {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Map) &&
    !(value instanceof Uint8Array) &&
    !Array.isArray(value) &&
    'fortranOrder' in value
  );
}

/**
 * Reads a pickled dict of numpy arrays, such as the book's `save_params` files, into an object
 * of arrays in C order.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const params = decodeNumpyPickle(readFileSync('sample_weight.pkl'), { source: 'sample_weight.pkl' });
 * params.W1?.shape; // [784, 50]
 * params.W1?.dtype; // 'float32'
 */
export function decodeNumpyPickle(
  bytes: Uint8Array,
  options: UnpickleOptions = {},
): Record<string, NumpyArray> {
  const source = options.source ?? 'pickle';
  const value = unpickle(bytes, { source });
  if (!(value instanceof Map)) {
    throw new UnpicklingError(source, `expected a dict of numpy arrays, found a ${typeof value}`);
  }
  const out: Record<string, NumpyArray> = {};
  for (const [key, item] of value) {
    if (typeof key !== 'string') {
      throw new UnpicklingError(source, `dict key ${String(key)} is not a string`);
    }
    if (!isNumpyArray(item)) {
      throw new UnpicklingError(source, `'${key}' is not a numpy array`);
    }
    Object.defineProperty(out, key, {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A numpy array's values as float32 (for scratchnet tensors); float16 is decoded, 64-bit integers
 * and float64 are rounded.
 *
 * @example numpyToFloat32(params.W1!) // Float32Array of 784 · 50 values
 */
export function numpyToFloat32(array: NumpyArray): Float32Array {
  switch (array.dtype) {
    case 'float32':
      return array.data.slice();
    case 'float16':
      return Float32Array.from(array.data, float16BitsToFloat32);
    case 'int64':
    case 'uint64':
      return Float32Array.from(array.data as ArrayLike<bigint>, (value) => Number(value));
    default:
      return Float32Array.from(array.data as ArrayLike<number>);
  }
}
