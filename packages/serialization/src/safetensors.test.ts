import { tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  entryToFloat32,
  type SafetensorsEntry,
  SafetensorsError,
  safetensorsToTensors,
  tensorsToSafetensors,
} from './safetensors.js';

/** A file assembled by hand: u64 header length, header text (unpadded unless given), data. */
function rawFile(header: string, data: number[] = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectError(bytes: Uint8Array, fragment: string | RegExp): void {
  let caught: unknown;
  try {
    decodeSafetensors(bytes, { source: 'bad.safetensors' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message.startsWith('bad.safetensors: ')).toBe(true);
  expect((caught as Error).message).toMatch(fragment);
}

const F32_ONE_TWO = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]; // 1.0, 2.0 little-endian

describe('encodeSafetensors', () => {
  it('writes the exact layout: u64 LE length, space-padded JSON, packed data', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) },
    });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
    const view = new DataView(bytes.buffer);
    expect(view.getBigUint64(0, true)).toBe(BigInt(padded.length));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded.length))).toBe(padded);
    expect(Array.from(bytes.subarray(8 + padded.length))).toEqual(F32_ONE_TWO);
  });

  it('orders tensors by element size then name, so each is aligned', () => {
    const bytes = encodeSafetensors({
      z8: { dtype: 'U8', shape: [3], data: Uint8Array.of(1, 2, 3) },
      b32: { dtype: 'F32', shape: [1], data: Float32Array.of(5) },
      a64: { dtype: 'F64', shape: [1], data: Float64Array.of(6) },
      a32: { dtype: 'I32', shape: [1], data: Int32Array.of(-7) },
    });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    expect(header.a64.data_offsets).toEqual([0, 8]);
    expect(header.a32.data_offsets).toEqual([8, 12]);
    expect(header.b32.data_offsets).toEqual([12, 16]);
    expect(header.z8.data_offsets).toEqual([16, 19]);
    expect(bytes.length).toBe(8 + length + 19);
  });

  it('refuses data that does not match its dtype or shape', () => {
    expect(() =>
      encodeSafetensors({ x: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }),
    ).toThrow("tensor 'x' has shape [2,2] (4 elements) but 3 values");
    expect(() =>
      encodeSafetensors({
        x: { dtype: 'F32', shape: [1], data: new Float64Array(1) } as unknown as SafetensorsEntry,
      }),
    ).toThrow(/must hold a Float32Array, not a Float64Array/);
    expect(() =>
      encodeSafetensors({ __metadata__: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }),
    ).toThrow(/reserved/);
  });
});

describe('decodeSafetensors', () => {
  it('round-trips every dtype, metadata, scalars and empty tensors', () => {
    const tensors: Record<string, SafetensorsEntry> = {
      f64: { dtype: 'F64', shape: [2], data: Float64Array.of(Math.PI, -1e300) },
      f32: { dtype: 'F32', shape: [2, 1], data: Float32Array.of(0.5, Number.NaN) },
      f16: { dtype: 'F16', shape: [1], data: Uint16Array.of(0x3c00) },
      bf16: { dtype: 'BF16', shape: [1], data: Uint16Array.of(0x4049) },
      i64: { dtype: 'I64', shape: [2], data: BigInt64Array.of(-(2n ** 62n), 3n) },
      u64: { dtype: 'U64', shape: [1], data: BigUint64Array.of(2n ** 64n - 1n) },
      i32: { dtype: 'I32', shape: [], data: Int32Array.of(-5) },
      u32: { dtype: 'U32', shape: [1], data: Uint32Array.of(4e9) },
      i16: { dtype: 'I16', shape: [1], data: Int16Array.of(-300) },
      u16: { dtype: 'U16', shape: [1], data: Uint16Array.of(60000) },
      i8: { dtype: 'I8', shape: [1], data: Int8Array.of(-8) },
      u8: { dtype: 'U8', shape: [0, 4], data: new Uint8Array(0) },
      flag: { dtype: 'BOOL', shape: [2], data: Uint8Array.of(1, 0) },
    };
    const bytes = encodeSafetensors(tensors, { format: 'pt', note: 'ünïcode' });
    const decoded = decodeSafetensors(bytes);
    expect(decoded.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, entry] of Object.entries(tensors)) {
      const got = decoded.tensors[name]!;
      expect(got.dtype).toBe(entry.dtype);
      expect(got.shape).toEqual(entry.shape);
      expect(got.data.constructor).toBe(entry.data.constructor);
      expect(Array.from(got.data as ArrayLike<unknown>)).toEqual(
        Array.from(entry.data as ArrayLike<unknown>),
      );
    }
  });

  it('reads files from other writers: unpadded header, any key order, no metadata', () => {
    const bytes = rawFile(
      '{"b":{"data_offsets":[8,10],"shape":[1],"dtype":"F16"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
      [...F32_ONE_TWO, 0x00, 0xc0],
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({});
    expect(Array.from(tensors.a!.data as Float32Array)).toEqual([1, 2]);
    expect(Array.from(entryToFloat32(tensors.b!))).toEqual([-2]);
  });

  it('keeps awkward names as own properties', () => {
    const bytes = encodeSafetensors({
      ['__proto__']: { dtype: 'U8', shape: [1], data: Uint8Array.of(9) },
      'layer.0.weight': { dtype: 'U8', shape: [1], data: Uint8Array.of(1) },
    } as Record<string, SafetensorsEntry>);
    const { tensors } = decodeSafetensors(bytes);
    expect(Object.hasOwn(tensors, '__proto__')).toBe(true);
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'layer.0.weight']);
  });

  it('does not share memory with the input', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) },
    });
    const { tensors } = decodeSafetensors(bytes);
    bytes.fill(0, 8);
    expect(Array.from(tensors.a!.data as Float32Array)).toEqual([1, 2]);
  });

  it('checks the header length before reading the header', () => {
    expectError(Uint8Array.of(1, 2, 3), 'too short for a safetensors file: 3 bytes');
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expectError(huge, /header length 9223372036854775808 exceeds the limit of 100000000 bytes/);
    const long = new Uint8Array(16);
    new DataView(long.buffer).setBigUint64(0, 100n, true);
    expectError(long, 'header length 100 is more than the 8 bytes after it (truncated file?)');
    expect(() => decodeSafetensors(rawFile('{}'.padEnd(64)), { maxHeaderBytes: 32 })).toThrow(
      /exceeds the limit of 32 bytes/,
    );
  });

  it('refuses headers that are not a JSON object', () => {
    expectError(rawFile('[1,2]'), "does not start with '{'");
    expectError(rawFile('{"a":'), /not valid JSON/);
    const badUtf8 = rawFile('{"a":1}');
    badUtf8[10] = 0xff;
    expectError(badUtf8, 'not valid UTF-8');
    expectError(
      rawFile('{"__metadata__":{"epoch":3}}'),
      "'__metadata__' entry 'epoch' is not a string",
    );
  });

  it('refuses bad entries, naming the tensor', () => {
    expectError(
      rawFile('{"x":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', [0]),
      /tensor 'x': unsupported dtype "F8"/,
    );
    expectError(
      rawFile('{"x":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}', [0]),
      /tensor 'x': shape \[-1\]/,
    );
    expectError(
      rawFile('{"x":{"dtype":"U8","shape":[1],"data_offsets":[1]}}', [0]),
      /data_offsets \[1\] is not a \[begin, end\] pair/,
    );
    expectError(
      rawFile('{"x":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}}', [0]),
      /end before they begin/,
    );
    expectError(
      rawFile('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', F32_ONE_TWO),
      "tensor 'x': shape [3] of F32 takes 12 bytes but data_offsets [0, 8] span 8",
    );
    // Shapes whose product overflows a double are compared exactly, not allocated.
    expectError(
      rawFile(
        '{"x":{"dtype":"F64","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}',
        F32_ONE_TWO,
      ),
      /takes 633825300114114700748351602688 bytes/,
    );
  });

  it('refuses gaps, overlaps, trailing bytes and ranges past the end', () => {
    const entry = (name: string, begin: number, end: number) =>
      `"${name}":{"dtype":"U8","shape":[${end - begin}],"data_offsets":[${begin},${end}]}`;
    expectError(
      rawFile(`{${entry('a', 0, 2)},${entry('b', 3, 4)}}`, [1, 2, 3, 4]),
      "gap in the data: bytes [2, 3) belong to no tensor (before 'b')",
    );
    expectError(rawFile(`{${entry('a', 1, 4)}}`, [1, 2, 3, 4]), 'gap in the data: bytes [0, 1)');
    expectError(
      rawFile(`{${entry('a', 0, 3)},${entry('b', 2, 4)}}`, [1, 2, 3, 4]),
      "tensors 'a' and 'b' overlap at data bytes [2, 3)",
    );
    expectError(
      rawFile(`{${entry('a', 0, 3)}}`, [1, 2, 3, 4]),
      'the tensors cover 3 data bytes but the file has 4 after the header',
    );
    expectError(
      rawFile(`{${entry('a', 0, 6)}}`, [1, 2, 3, 4]),
      "tensor 'a': data_offsets [0, 6] run past the 4 data bytes (truncated file?)",
    );
  });

  it('fails cleanly on every truncation of a valid file', () => {
    const bytes = encodeSafetensors(
      { w: { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) } },
      { k: 'v' },
    );
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeSafetensors(bytes.subarray(0, length))).toThrow(SafetensorsError);
    }
  });
});

describe('tensors ↔ safetensors', () => {
  const W = tensor([
    [1, -2.5],
    [0.1, 65504],
  ]);
  const b = tensor([3, 1 / 3]);

  it('round-trips float32 exactly', () => {
    const bytes = tensorsToSafetensors({ W, b }, { metadata: { model: 'tiny' } });
    const { tensors, metadata } = safetensorsToTensors(bytes);
    expect(metadata).toEqual({ model: 'tiny' });
    expect(tensors.W!.shape).toEqual([2, 2]);
    expect(Array.from(tensors.W!.dataSync())).toEqual(Array.from(W.dataSync()));
    expect(Array.from(tensors.b!.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('stores F16, BF16 and F64 on request', () => {
    const half = decodeSafetensors(tensorsToSafetensors({ W }, { dtype: 'F16' })).tensors.W!;
    expect(half.dtype).toBe('F16');
    expect(Array.from(half.data as Uint16Array)).toEqual([0x3c00, 0xc100, 0x2e66, 0x7bff]);
    const fromHalf = safetensorsToTensors(tensorsToSafetensors({ W }, { dtype: 'F16' })).tensors.W!;
    expect(Array.from(fromHalf.dataSync())).toEqual([1, -2.5, 0.0999755859375, 65504]);

    const brain = safetensorsToTensors(tensorsToSafetensors({ b }, { dtype: 'BF16' })).tensors.b!;
    expect(Array.from(brain.dataSync())).toEqual([3, 0.333984375]);

    const double = decodeSafetensors(tensorsToSafetensors({ b }, { dtype: 'F64' })).tensors.b!;
    expect(double.dtype).toBe('F64');
    expect((double.data as Float64Array)[1]).toBe(Math.fround(1 / 3));
  });
});
