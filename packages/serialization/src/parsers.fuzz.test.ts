/**
 * Fuzzing every parser in this package — safetensors, the pickle importer, model files and
 * checkpoints — with mutations of valid files and with generated structures: each input must
 * parse or be refused with the parser's own error type, quickly. A normal test run feeds a few
 * hundred inputs per parser; `pnpm fuzz` (SCRATCHNET_FUZZ_RUNS=100000) feeds 100,000.
 */

import { fuzz, fuzzRuns, mutated } from '@scratchnet/datasets/testing';
import { MultiLayerNet, SimpleConvNet } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import { defaultGenerator, manualSeed, randn } from '@scratchnet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixtureJson from '../fixtures/pickles.json' with { type: 'json' };
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { loadModel, saveModel } from './model-file.js';
import { decodeNumpyPickle, UnpicklingError, unpickle } from './pickle.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';

const isSafetensorsError = (error: unknown) => error instanceof SafetensorsError;
const isUnpicklingError = (error: unknown) => error instanceof UnpicklingError;

const pickles = (fixtureJson as { generated: { base64: string }[] }).generated.map((g) =>
  Uint8Array.from(Buffer.from(g.base64, 'base64')),
);

manualSeed(7);
const tinyMlp = new MultiLayerNet({ inputSize: 6, hiddenSizeList: [5, 4], outputSize: 3 });
const tinyMlpBn = new MultiLayerNet({
  inputSize: 4,
  hiddenSizeList: [3],
  outputSize: 2,
  useBatchnorm: true,
  useDropout: true,
});
const tinyConv = new SimpleConvNet({
  inputDim: [1, 6, 6],
  filterNum: 2,
  filterSize: 3,
  hiddenSize: 4,
  outputSize: 3,
});
const modelSeeds = [
  saveModel(tinyMlp),
  saveModel(tinyMlpBn, { dtype: 'F16' }),
  saveModel(tinyConv, { metadata: { dataset: 'mnist' } }),
];

function checkpointOf(): Uint8Array {
  const optimizer = new Adam(tinyMlp.parameters());
  tinyMlp.loss(randn([2, 6]), [0, 2]).backward();
  optimizer.step();
  return saveCheckpoint(tinyMlp, optimizer, {
    epoch: 1,
    step: 3,
    rng: defaultGenerator.getState(),
    loader: { epoch: 1, batchIndex: 0 },
  });
}
const checkpointSeeds = [checkpointOf()];

const safetensorsSeeds = [
  ...modelSeeds,
  encodeSafetensors({
    a: { dtype: 'I64', shape: [2], data: BigInt64Array.of(1n, -2n) },
    b: { dtype: 'U8', shape: [0, 3], data: new Uint8Array(0) },
    c: { dtype: 'BF16', shape: [1, 1], data: Uint16Array.of(0x3f80) },
  }),
];

/** A safetensors file around a generated header: JSON values where the entries should be. */
const generatedSafetensors = fc
  .tuple(
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__metadata__', '__proto__')),
      fc.oneof(
        fc.record({
          dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'I64', 'U8', 'BOOL'), fc.string()),
          shape: fc.array(fc.oneof(fc.nat(5), fc.constantFrom(-1, 2 ** 53, 2 ** 60, 1.5)), {
            maxLength: 4,
          }),
          data_offsets: fc.array(fc.oneof(fc.nat(64), fc.constantFrom(-1, 2 ** 60)), {
            maxLength: 3,
          }),
        }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      { maxKeys: 4 },
    ),
    fc.uint8Array({ maxLength: 64 }),
  )
  .map(([header, data]) => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    return out;
  });

/** Opcode soup: pickle opcodes (known and unknown) with short arguments. */
const PICKLE_OPCODES = [
  0x80, 0x95, 0x2e, 0x4e, 0x88, 0x89, 0x4a, 0x4b, 0x4d, 0x8a, 0x8b, 0x47, 0x8c, 0x58, 0x8d, 0x55,
  0x54, 0x43, 0x42, 0x8e, 0x96, 0x98, 0x7d, 0x5d, 0x29, 0x28, 0x31, 0x30, 0x32, 0x74, 0x85, 0x86,
  0x87, 0x6c, 0x64, 0x73, 0x75, 0x61, 0x65, 0x71, 0x72, 0x94, 0x68, 0x6a, 0x63, 0x93, 0x52, 0x62,
  0x81, 0x49, 0x67, 0x70,
];
const opcodeSoup = fc
  .array(fc.tuple(fc.constantFrom(...PICKLE_OPCODES), fc.uint8Array({ maxLength: 4 })), {
    maxLength: 40,
  })
  .map((ops) => Uint8Array.from([0x80, 4, ...ops.flatMap(([op, arg]) => [op, ...arg]), 0x2e]));

describe('fuzzing the parsers (typed errors only, no hang, no crash)', () => {
  it('decodeSafetensors: mutated files, generated headers, random bytes', () => {
    const runs = fuzzRuns(400);
    const inputs = fc.oneof(
      { weight: 6, arbitrary: mutated(safetensorsSeeds) },
      { weight: 3, arbitrary: generatedSafetensors },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    );
    const report = fuzz('safetensors', inputs, (b) => decodeSafetensors(b), isSafetensorsError, {
      runs,
    });
    expect(report.inputs).toBe(runs);
  });

  it('unpickle and decodeNumpyPickle: mutated numpy pickles, opcode soup, random bytes', () => {
    const runs = fuzzRuns(400);
    const inputs = fc.oneof(
      { weight: 6, arbitrary: mutated(pickles) },
      { weight: 3, arbitrary: opcodeSoup },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    );
    const report = fuzz(
      'pickle',
      inputs,
      (bytes) => {
        unpickle(bytes);
        return decodeNumpyPickle(bytes);
      },
      isUnpicklingError,
      { runs },
    );
    expect(report.inputs).toBe(runs);
  });

  it('loadModel: mutated model files', () => {
    const runs = fuzzRuns(200);
    const report = fuzz(
      'model file',
      mutated(modelSeeds),
      (b) => loadModel(b),
      isSafetensorsError,
      {
        runs,
      },
    );
    expect(report.inputs).toBe(runs);
  });

  it('loadCheckpoint: mutated checkpoints', () => {
    const runs = fuzzRuns(200);
    const report = fuzz(
      'checkpoint',
      mutated(checkpointSeeds),
      (b) => loadCheckpoint(b),
      isSafetensorsError,
      { runs },
    );
    expect(report.inputs).toBe(runs);
  });
});

describe('length fields are checked before anything is allocated', () => {
  const u64 = (value: bigint) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value, true);
    return out;
  };

  it('a safetensors header that claims 2^60 bytes', () => {
    expect(() => decodeSafetensors(u64(1n << 60n))).toThrow(
      /header length 1152921504606846976 exceeds the limit/,
    );
    expect(() =>
      decodeSafetensors(Uint8Array.from([...u64(1n << 60n), ...new Uint8Array(64)]), {
        maxHeaderBytes: 2 ** 62,
      }),
    ).toThrow(/header length 1152921504606846976 is more than the 64 bytes after it/);
  });

  it('a safetensors entry that claims 2^40 elements, or a million dimensions', () => {
    const file = (entry: unknown) => {
      const json = new TextEncoder().encode(JSON.stringify({ x: entry }));
      return Uint8Array.from([...u64(BigInt(json.length)), ...json]);
    };
    expect(() =>
      decodeSafetensors(
        file({ dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 2 ** 42] }),
      ),
    ).toThrow(/run past the 0 data bytes/);
    const started = performance.now();
    expect(() =>
      decodeSafetensors(
        file({ dtype: 'F32', shape: new Array(1_000_000).fill(2), data_offsets: [0, 8] }),
      ),
    ).toThrow(SafetensorsError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a model config that claims a network of 2^80 weights', () => {
    const bytes = encodeSafetensors(
      {},
      {
        'scratchnet.kind': 'model',
        'scratchnet.config': JSON.stringify({
          architecture: 'mlp',
          inputSize: 2 ** 40,
          hiddenSizeList: [2 ** 40],
          outputSize: 2 ** 40,
        }),
      },
    );
    expect(() => loadModel(bytes, { source: 'claims.safetensors' })).toThrow(
      /claims\.safetensors: missing tensor "fc1.weight" \(shape \[1099511627776, 1099511627776\]\)/,
    );
  });

  it('pickle lengths of 2^60 (BINUNICODE8, BYTEARRAY8) and a LONG4 of 2^31 bytes', () => {
    const huge = u64(1n << 60n);
    for (const opcode of [0x8d, 0x96, 0x8e, 0x95]) {
      expect(() => unpickle(Uint8Array.from([0x80, 5, opcode, ...huge]))).toThrow(
        /declares 1152921504606846976 bytes/,
      );
    }
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0x8b, 0xff, 0xff, 0xff, 0x7f]))).toThrow(
      /LONG4 needs 2147483647 bytes, only 0 left/,
    );
  });

  it('an ndarray whose shape claims 2^60 elements, or a million dimensions', () => {
    // _frombuffer(b'', dtype('u1'), (2^30, 2^30), 'C') in protocol 5.
    const global = (module: string, name: string) => [
      0x8c,
      module.length,
      ...Buffer.from(module),
      0x8c,
      name.length,
      ...Buffer.from(name),
      0x93,
    ];
    const short = (text: string) => [0x8c, text.length, ...Buffer.from(text)];
    const dims = (values: number[]) => [
      0x28,
      ...values.flatMap((v) => [0x4a, ...u64(BigInt(v)).slice(0, 4)]),
      0x74,
    ];
    const frombuffer = (shape: number[]) =>
      Uint8Array.from([
        0x80,
        5,
        ...global('numpy._core.numeric', '_frombuffer'),
        0x28,
        0x43,
        0,
        ...global('numpy', 'dtype'),
        ...short('u1'),
        0x85,
        0x52,
        ...dims(shape),
        ...short('C'),
        0x74,
        0x52,
        0x2e,
      ]);
    expect(() => unpickle(frombuffer([2 ** 30, 2 ** 30]))).toThrow(
      /array of shape \(1073741824, 1073741824\) and dtype uint8 needs 1152921504606846976 bytes, the pickle has 0/,
    );
    const started = performance.now();
    expect(() => unpickle(frombuffer(new Array(200_000).fill(3)))).toThrow(UnpicklingError);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('pickles whose structure would blow up a naive reader', () => {
  it('2^60 references to one list (through the memo) cost what their bytes cost', () => {
    // l0 = []; l1 = [l0, l0]; … l60 = [l59, l59]: 60 lines of pickle, 2^60 leaves if copied.
    const ops = [0x80, 2, 0x5d, 0x71, 0];
    for (let i = 1; i <= 60; i++) ops.push(0x28, 0x68, i - 1, 0x68, i - 1, 0x6c, 0x71, i);
    ops.push(0x2e);
    const started = performance.now();
    const result = unpickle(Uint8Array.from(ops)) as unknown[];
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result[0]).toBe(result[1]); // shared, as in Python
  });

  it('a list that contains itself stays recursive; deep nesting is refused', () => {
    // l = []; l.append(l)
    const recursive = unpickle(Uint8Array.from([0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e]));
    expect((recursive as unknown[])[0]).toBe(recursive);
    const deep = Uint8Array.from([0x80, 2, 0x4e, ...new Array(100_000).fill(0x85), 0x2e]);
    expect(() => unpickle(deep)).toThrow(/containers nest deeper than 1000 levels/);
  });
});
