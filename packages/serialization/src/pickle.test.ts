import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fixtureJson from '../fixtures/pickles.json' with { type: 'json' };
import { float16BitsToFloat32 } from './float16.js';
import {
  decodeNumpyPickle,
  ForbiddenGlobalError,
  type NumpyArray,
  numpyToFloat32,
  UnpicklingError,
  unpickle,
} from './pickle.js';

// The book's parameter files live beside the repository (never copied into it).
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const bookParamsDir = resolve(repoRoot, '../shared/book-params');
const haveBookParams = existsSync(resolve(bookParamsDir, 'sample_weight.pkl'));
const bookSkipReason = `SKIPPED: ${bookParamsDir} is absent`;
if (!haveBookParams) console.warn(`Book parameter tests ${bookSkipReason}`);

interface ArrayFixture {
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  sum: number;
  samples: [number, number | string][];
  values?: (number | boolean | string)[];
}

interface PickleFixtures {
  bookParams: Record<string, Record<string, ArrayFixture>>;
  generated: {
    title: string;
    protocol: number;
    base64: string;
    arrays: Record<string, ArrayFixture>;
  }[];
}

const fixtures = fixtureJson as unknown as PickleFixtures;

/** Values as JS numbers, whatever the dtype (float16 decoded, int64 via Number). */
function numbers(array: NumpyArray): number[] {
  if (array.dtype === 'float16') return Array.from(array.data, float16BitsToFloat32);
  return Array.from(array.data as ArrayLike<number | bigint>, Number);
}

/** Neumaier's compensated sum, to compare with Python's math.fsum. */
function accurateSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

function expectMatchesNumpy(array: NumpyArray, expected: ArrayFixture, where: string): void {
  expect(array.dtype, where).toBe(expected.dtype);
  expect(array.shape, where).toEqual(expected.shape);
  expect(array.fortranOrder, where).toBe(expected.fortranOrder);
  const values = numbers(array);
  expect(values.length, where).toBe(expected.shape.reduce((a, b) => a * b, 1));
  for (const [position, value] of expected.samples) {
    expect(values[position], `${where}[${position}]`).toBe(Number(value));
  }
  expect(accurateSum(values), `${where} sum`).toBeCloseTo(expected.sum, 9);
}

/** Bytes from opcodes (numbers), latin-1 text (strings) and byte lists. */
function pickleBytes(...parts: (number | string | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const op = {
  proto: (n: number) => [0x80, n],
  global: (module: string, name: string) => pickleBytes('c', `${module}\n${name}\n`),
  unicode: (text: string) => {
    const utf8 = new TextEncoder().encode(text);
    return [0x58, ...u32(utf8.length), ...utf8];
  },
  short: (text: string) => [0x8c, text.length, ...pickleBytes(text)],
  shortBinstring: (text: string) => [0x55, text.length, ...pickleBytes(text)],
  binstring: (bytes: Uint8Array) => [0x54, ...u32(bytes.length), ...bytes],
  shortBytes: (bytes: number[]) => [0x43, bytes.length, ...bytes],
  int1: (n: number) => [0x4b, n],
  int: (n: number) => [0x4a, ...u32(n)],
  MARK: 0x28,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  EMPTY_TUPLE: 0x29,
  EMPTY_DICT: 0x7d,
  EMPTY_LIST: 0x5d,
  SETITEM: 0x73,
  APPEND: 0x61,
  REDUCE: 0x52,
  BUILD: 0x62,
  STACK_GLOBAL: 0x93,
  NONE: 0x4e,
  TRUE: 0x88,
  FALSE: 0x89,
  STOP: 0x2e,
};

function expectUnpicklingError(bytes: Uint8Array, fragment: string | RegExp): UnpicklingError {
  let caught: unknown;
  try {
    unpickle(bytes, { source: 'evil.pkl' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UnpicklingError);
  expect((caught as Error).message.startsWith('evil.pkl: ')).toBe(true);
  expect((caught as Error).message).toMatch(fragment);
  return caught as UnpicklingError;
}

describe("the book's parameter files", () => {
  const files = Object.entries(fixtures.bookParams);

  it.skipIf(!haveBookParams).each(files)(
    `%s matches numpy: dtypes, shapes, Fortran flags, sums and values${haveBookParams ? '' : ` (${bookSkipReason})`}`,
    (file, arrays) => {
      const bytes = readFileSync(resolve(bookParamsDir, file));
      const params = decodeNumpyPickle(bytes, { source: file });
      expect(Object.keys(params).sort()).toEqual(Object.keys(arrays).sort());
      for (const [key, expected] of Object.entries(arrays)) {
        expectMatchesNumpy(params[key]!, expected, `${file} ${key}`);
      }
    },
  );

  it.skipIf(!haveBookParams)(
    `has the book's layouts${haveBookParams ? '' : ` (${bookSkipReason})`}`,
    () => {
      const read = (file: string) =>
        decodeNumpyPickle(readFileSync(resolve(bookParamsDir, file)), { source: file });
      const simple = read('simple_convnet_params_2016.pkl');
      expect(simple.W1!.shape).toEqual([30, 1, 5, 5]);
      expect(simple.W2!.shape).toEqual([4320, 100]);
      expect(simple.W3!.shape).toEqual([100, 10]);
      expect(simple.W1!.dtype).toBe('float64');

      const mlp = read('sample_weight.pkl');
      expect(mlp.W1!.shape).toEqual([784, 50]);
      expect(mlp.W1!.dtype).toBe('float32');
      expect(mlp.W1!.fortranOrder).toBe(true); // stored column-major, returned row-major
      expect(mlp.b1!.fortranOrder).toBe(false);
      expect(numpyToFloat32(mlp.W1!)).toEqual(mlp.W1!.data);

      const deep = read('deep_convnet_params.pkl'); // protocol 4: FRAME, STACK_GLOBAL, MEMOIZE
      expect(deep.W7!.shape).toEqual([1024, 50]);
      expect(Object.keys(deep)).toHaveLength(16);
    },
  );
});

describe('pickles made by numpy (fixtures from scripts/make-pickle-fixtures.py)', () => {
  const cases = fixtures.generated.map((c) => [c.title, c] as const);

  it.each(cases)('%s', (_title, fixture) => {
    const bytes = Uint8Array.from(Buffer.from(fixture.base64, 'base64'));
    const params = decodeNumpyPickle(bytes, { source: fixture.title });
    const { arrays } = fixture;
    expect(Object.keys(params)).toEqual(Object.keys(arrays));
    for (const [key, expected] of Object.entries(arrays)) {
      expectMatchesNumpy(params[key]!, expected, key);
      expect(numbers(params[key]!), key).toEqual(expected.values!.map(Number));
    }
  });

  it('reads numpy 2 pickles (numpy._core)', () => {
    const original = Buffer.from(fixtures.generated[0]!.base64, 'base64').toString('latin1');
    // Protocol 2 names globals in text lines, so the module can be renamed in place.
    const renamed = original.replaceAll('numpy.core.multiarray\n', 'numpy._core.multiarray\n');
    expect(renamed).not.toBe(original);
    const params = decodeNumpyPickle(Buffer.from(renamed, 'latin1'));
    expect(params.weights!.shape).toEqual([2, 3]);
  });

  it('gives int64 beyond 2^53 as BigInt values', () => {
    const fixture = fixtures.generated.find((c) => c.protocol === 4)!;
    const params = decodeNumpyPickle(Buffer.from(fixture.base64, 'base64'));
    const i64 = params.i64!;
    expect(i64.dtype).toBe('int64');
    expect(Array.from(i64.data as BigInt64Array)).toEqual([-(2n ** 40n), 7n, 2n ** 50n]);
  });
});

describe('a Python 2 style pickle (BINSTRING data, read as latin-1)', () => {
  it('rebuilds a Fortran-order float64 array in C order', () => {
    const raw = new Uint8Array(Float64Array.of(1, 2, 3, 4).buffer); // column-major [[1, 3], [2, 4]]
    const bytes = pickleBytes(
      op.proto(2),
      op.EMPTY_DICT,
      op.shortBinstring('W'),
      op.global('numpy.core.multiarray', '_reconstruct'),
      op.global('numpy', 'ndarray'),
      op.int1(0),
      op.TUPLE1,
      op.shortBinstring('b'),
      op.TUPLE3,
      op.REDUCE,
      op.MARK,
      op.int1(1),
      op.int1(2),
      op.int1(2),
      op.TUPLE2,
      op.global('numpy', 'dtype'),
      op.shortBinstring('f8'),
      op.int1(0),
      op.int1(1),
      op.TUPLE3,
      op.REDUCE,
      op.MARK,
      op.int1(3),
      op.shortBinstring('<'),
      op.NONE,
      op.NONE,
      op.NONE,
      op.int(-1),
      op.int(-1),
      op.int1(0),
      op.TUPLE,
      op.BUILD,
      op.TRUE,
      op.binstring(raw),
      op.TUPLE,
      op.BUILD,
      op.SETITEM,
      op.STOP,
    );
    const { W } = decodeNumpyPickle(bytes);
    expect(W!.dtype).toBe('float64');
    expect(W!.fortranOrder).toBe(true);
    expect(Array.from(W!.data as Float64Array)).toEqual([1, 3, 2, 4]);
  });
});

describe('unpickle', () => {
  it('decodes plain Python values', () => {
    // pickle.dumps({'a': [1, 2.5, None, True], 'b': (b'xy', -3, 2**70)}, protocol=3)
    const bytes = pickleBytes(
      op.proto(3),
      op.EMPTY_DICT,
      op.unicode('a'),
      op.EMPTY_LIST,
      op.int1(1),
      op.APPEND,
      0x47,
      [0x40, 0x04, 0, 0, 0, 0, 0, 0], // BINFLOAT 2.5, big-endian
      op.APPEND,
      op.NONE,
      op.APPEND,
      op.TRUE,
      op.APPEND,
      op.SETITEM,
      op.unicode('b'),
      op.shortBytes([0x78, 0x79]),
      op.int(-3),
      [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40], // LONG1 2**70: nine bytes, little-endian
      op.TUPLE3,
      op.SETITEM,
      op.STOP,
    );
    const value = unpickle(bytes) as Map<string, unknown>;
    expect(value.get('a')).toEqual([1, 2.5, null, true]);
    const b = value.get('b') as readonly unknown[];
    expect(Object.isFrozen(b)).toBe(true);
    expect(b[0]).toEqual(new TextEncoder().encode('xy'));
    expect(b[1]).toBe(-3);
    expect(b[2]).toBe(2n ** 70n);
  });

  it('refuses a top level that is not a dict of arrays', () => {
    expect(() => decodeNumpyPickle(pickleBytes(op.proto(2), op.NONE, op.STOP))).toThrow(
      /expected a dict of numpy arrays/,
    );
    expect(() =>
      decodeNumpyPickle(
        pickleBytes(op.proto(2), op.EMPTY_DICT, op.unicode('x'), op.int1(1), op.SETITEM, op.STOP),
      ),
    ).toThrow("pickle: 'x' is not a numpy array");
  });
});

describe('hostile pickles', () => {
  const call = (callable: number[] | Uint8Array, argument: string) =>
    pickleBytes(callable, op.unicode(argument), op.TUPLE1, op.REDUCE, op.STOP);

  it.each([
    ['os', 'system', 'echo pwned'],
    ['builtins', 'eval', '__import__("os").system("id")'],
    ['subprocess', 'Popen', 'sh'],
    ['posix', 'system', 'id'],
    ['numpy', 'load', 'x.npy'],
    ['numpy.core.multiarray', 'scalar', ''],
  ])('refuses %s.%s named by GLOBAL and by STACK_GLOBAL', (module, name, argument) => {
    for (const bytes of [
      call(pickleBytes(op.proto(2), op.global(module, name)), argument),
      call(pickleBytes(op.proto(4), op.short(module), op.short(name), op.STACK_GLOBAL), argument),
    ]) {
      const error = expectUnpicklingError(bytes, `refusing global '${module}.${name}'`);
      expect(error).toBeInstanceOf(ForbiddenGlobalError);
      expect((error as ForbiddenGlobalError).globalName).toBe(`${module}.${name}`);
    }
  });

  it('refuses _reconstruct called with anything but numpy.ndarray', () => {
    const reconstruct = op.global('numpy.core.multiarray', '_reconstruct');
    const withClass = (cls: number[] | Uint8Array) =>
      pickleBytes(
        op.proto(2),
        reconstruct,
        cls,
        op.int1(0),
        op.TUPLE1,
        op.shortBytes([0x62]),
        op.TUPLE3,
        op.REDUCE,
        op.STOP,
      );
    expectUnpicklingError(
      withClass(op.global('numpy', 'dtype')),
      /_reconstruct called with \(numpy\.dtype, tuple, bytes\); only \(numpy\.ndarray/,
    );
    expectUnpicklingError(
      withClass(op.unicode('os.system')),
      /_reconstruct called with \(string, tuple, bytes\)/,
    );
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        reconstruct,
        op.global('numpy', 'ndarray'),
        op.TUPLE1,
        op.REDUCE,
        op.STOP,
      ),
      /_reconstruct called with \(numpy\.ndarray\)/,
    );
  });

  it('refuses calls that are not the numpy recipes', () => {
    expectUnpicklingError(
      call(pickleBytes(op.proto(2), op.global('numpy', 'ndarray')), 'x'),
      /numpy\.ndarray may only be passed to _reconstruct/,
    );
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        op.global('_codecs', 'encode'),
        op.unicode('x'),
        op.unicode('rot13'),
        op.TUPLE2,
        op.REDUCE,
        op.STOP,
      ),
      /only 'latin1' is allowed/,
    );
    expectUnpicklingError(
      call(pickleBytes(op.proto(2), op.unicode('os.system')), 'x'),
      /REDUCE calls a string, not an allowed global/,
    );
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        op.global('builtins', 'bytes'),
        op.int(2 ** 30),
        op.TUPLE1,
        op.REDUCE,
        op.STOP,
      ),
      /only bytes\(\) is allowed/,
    );
    expectUnpicklingError(
      call(pickleBytes(op.proto(2), op.global('numpy', 'dtype')), 'O8'),
      /unsupported numpy dtype 'O8'/,
    );
  });

  it('refuses BUILD on anything but arrays and dtypes', () => {
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.EMPTY_DICT, op.EMPTY_DICT, op.BUILD, op.STOP),
      /BUILD on a dict is not allowed/,
    );
  });

  it('refuses big-endian arrays', () => {
    const bytes = pickleBytes(
      op.proto(2),
      op.global('numpy', 'dtype'),
      op.unicode('f8'),
      op.FALSE,
      op.TRUE,
      op.TUPLE3,
      op.REDUCE,
      op.MARK,
      op.int1(3),
      op.unicode('>'),
      op.NONE,
      op.NONE,
      op.NONE,
      op.int(-1),
      op.int(-1),
      op.int1(0),
      op.TUPLE,
      op.BUILD,
      op.STOP,
    );
    expectUnpicklingError(bytes, /big-endian dtype '>f8' is not supported/);
  });

  it('fails cleanly on every truncation of a real pickle', () => {
    const bytes = Buffer.from(fixtures.generated[2]!.base64, 'base64'); // protocol 4, framed
    for (let length = 0; length < bytes.length; length++) {
      expect(() => unpickle(bytes.subarray(0, length))).toThrow(UnpicklingError);
    }
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.EMPTY_DICT),
      'truncated pickle: the data ended before STOP',
    );
    expectUnpicklingError(
      pickleBytes(op.proto(2), 0x42, u32(1000), 'abc'),
      'truncated pickle: BINBYTES needs 1000 bytes, only 3 left (at offset 2)',
    );
  });

  it('refuses lengths beyond the file before allocating', () => {
    const huge = [0, 0, 0, 0, 0, 0, 0, 0x10]; // 2^60
    expectUnpicklingError(
      pickleBytes(op.proto(4), 0x8e, huge),
      /BINBYTES8 declares 1152921504606846976 bytes, only 0 left/,
    );
    expectUnpicklingError(pickleBytes(op.proto(4), 0x95, huge), /FRAME declares/);
  });

  it('names unknown and unsupported opcodes with their offset', () => {
    expectUnpicklingError(pickleBytes(op.proto(2), 0xff), 'unknown opcode 0xff (at offset 2)');
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.NONE, 0x81),
      'opcode NEWOBJ (0x81) is not supported by this restricted unpickler (at offset 3)',
    );
    expectUnpicklingError(pickleBytes('I42\n.'), 'opcode INT (0x49) is not supported');
    expectUnpicklingError(pickleBytes(op.proto(9)), 'unsupported pickle protocol 9');
  });

  it('refuses malformed stacks and memo references', () => {
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.TUPLE, op.STOP),
      'TUPLE without a MARK before it',
    );
    expectUnpicklingError(pickleBytes(op.proto(2), op.REDUCE), 'REDUCE found an empty stack');
    expectUnpicklingError(pickleBytes(op.proto(2), 0x68, 5), 'BINGET 5 refers to nothing memoized');
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.EMPTY_TUPLE, op.int1(1), op.APPEND),
      'APPEND on a tuple, not a list',
    );
  });
});

describe('hostile pickles: globals outside the allowlist, however they are reached', () => {
  const stackGlobal = (module: string, name: string) =>
    pickleBytes(op.short(module), op.short(name), op.STACK_GLOBAL);

  it.each([
    ['builtins', 'getattr'],
    ['builtins', '__import__'],
    ['builtins', 'exec'],
    ['__builtin__', 'eval'],
    ['subprocess', 'check_output'],
    ['os', 'popen'],
    ['numpy.core.multiarray', '_reconstruct.__globals__'], // an attribute path off an allowed name
    ['numpy.core.multiarray ', '_reconstruct'], // near misses are not the allowed name
    ['numpy', 'ndarray.__reduce__'],
  ])('refuses %s.%s', (module, name) => {
    const error = expectUnpicklingError(
      pickleBytes(op.proto(4), stackGlobal(module, name), op.EMPTY_TUPLE, op.REDUCE, op.STOP),
      `refusing global '${module}.${name}'`,
    );
    expect(error).toBeInstanceOf(ForbiddenGlobalError);
  });

  it('refuses a forbidden global passed as an argument to an allowed one, before any call', () => {
    // numpy.dtype(os.system), _reconstruct(subprocess.Popen, …), _codecs.encode(builtins.eval, …)
    for (const [callee, hostile] of [
      [op.global('numpy', 'dtype'), op.global('os', 'system')],
      [op.global('numpy.core.multiarray', '_reconstruct'), op.global('subprocess', 'Popen')],
      [op.global('_codecs', 'encode'), op.global('builtins', 'eval')],
    ] as const) {
      const error = expectUnpicklingError(
        pickleBytes(op.proto(2), callee, hostile, op.TUPLE1, op.REDUCE, op.STOP),
        /refusing global '(os\.system|subprocess\.Popen|builtins\.eval)'/,
      );
      expect(error).toBeInstanceOf(ForbiddenGlobalError);
    }
  });

  it('refuses allowed globals called with hostile arguments', () => {
    const frombuffer = op.global('numpy.core.numeric', '_frombuffer');
    // _frombuffer(None, 'f4', (1,), 'C'): not bytes and not a dtype.
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        frombuffer,
        op.MARK,
        op.NONE,
        op.unicode('f4'),
        op.int1(1),
        op.TUPLE1,
        op.unicode('C'),
        op.TUPLE,
        op.REDUCE,
        op.STOP,
      ),
      /_frombuffer called with \(None, string, tuple, string\)/,
    );
    // numpy.dtype('O8') (object arrays would run arbitrary __reduce__) and a 4-argument dtype call.
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        op.global('numpy', 'dtype'),
        op.unicode('O'),
        op.TUPLE1,
        op.REDUCE,
        op.STOP,
      ),
      /unsupported numpy dtype 'O'.*object and structured arrays are refused/,
    );
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        op.global('numpy', 'dtype'),
        op.MARK,
        op.unicode('f4'),
        op.FALSE,
        op.TRUE,
        op.NONE,
        op.TUPLE,
        op.REDUCE,
        op.STOP,
      ),
      /numpy\.dtype called with \(string, boolean, boolean, None\); expected a type string/,
    );
    // _codecs.encode('x' * n, 'utf-8'): only latin1, whatever the payload.
    expectUnpicklingError(
      pickleBytes(
        op.proto(2),
        op.global('_codecs', 'encode'),
        op.unicode('x'.repeat(1000)),
        op.unicode('utf-8'),
        op.TUPLE2,
        op.REDUCE,
        op.STOP,
      ),
      /_codecs\.encode with encoding "utf-8"; only 'latin1' is allowed/,
    );
    // A REDUCE whose "arguments" are a list (Python would refuse too), and calling a dtype.
    expectUnpicklingError(
      pickleBytes(op.proto(2), op.global('builtins', 'bytes'), op.EMPTY_LIST, op.REDUCE, op.STOP),
      /REDUCE of builtins\.bytes with list arguments/,
    );
  });

  it('refuses the object-building opcodes a hostile pickle would use instead of REDUCE', () => {
    expectUnpicklingError(pickleBytes(op.proto(2), op.MARK, 'ios\nsystem\n'), /opcode INST/);
    expectUnpicklingError(pickleBytes(op.proto(2), op.MARK, 0x6f), /opcode OBJ/);
    expectUnpicklingError(pickleBytes(op.proto(2), op.NONE, 0x51), /opcode BINPERSID/);
    expectUnpicklingError(pickleBytes(op.proto(2), 0x82, 1), /opcode EXT1/);
  });
});
