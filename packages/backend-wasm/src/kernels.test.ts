import v8 from 'node:v8';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { KERNEL_ARITIES } from './generated/kernel-exports.js';
import { instantiate, kernelModule } from './kernels.js';

// Node 20 gates relaxed SIMD behind a flag; set it so that both builds are checked.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

// The kernels called directly, without the backend: an op code outside the vocabulary must trap
// rather than silently compute some other op.
describe('kernel op codes', () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 16 });
  const k = instantiate(kernelModule('simd', false)!, memory);
  const base = k.heapBase();
  const x = base;
  const out = base + 64;
  const dims = base + 128;
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  f32.set([1, -2, 3, 0.5], x >> 2);
  const unknown = 99;

  it('are the vocabulary indices', () => {
    k.unary(UNARY_OPS.indexOf('neg'), x, out, 4);
    expect([...f32.subarray(out >> 2, (out >> 2) + 4)]).toEqual([-1, 2, -3, -0.5]);
    i32.set([4, 1, 0], dims >> 2); // one axis of 4: a contiguous, b broadcast
    k.binary(BINARY_OPS.indexOf('mul'), x, x, out, 1, dims);
    expect([...f32.subarray(out >> 2, (out >> 2) + 4)]).toEqual([1, -2, 3, 0.5]);
    f32[out >> 2] = 0;
    i32.set([4, 0], dims >> 2); // one axis of 4, reduced
    k.reduce(REDUCE_OPS.indexOf('sum'), x, out, 1, dims);
    expect(f32[out >> 2]).toBe(2.5);
  });

  it('unknown unary code traps', () => {
    expect(() => k.unary(unknown, x, out, 4)).toThrow(WebAssembly.RuntimeError);
    expect(() => k.unary(UNARY_OPS.length, x, out, 1)).toThrow(WebAssembly.RuntimeError);
  });

  it('unknown binary code traps, broadcast or not, in every row loop', () => {
    for (const strides of [
      [1, 1],
      [1, 0],
      [0, 1],
      [2, 1],
    ]) {
      i32.set([2, ...strides], dims >> 2);
      expect(() => k.binary(unknown, x, x, out, 1, dims)).toThrow(WebAssembly.RuntimeError);
    }
    expect(() => k.binary(BINARY_OPS.length, x, x, out, 0, dims)).toThrow(WebAssembly.RuntimeError);
  });

  it('unknown reduce code traps (argmax and argmin included: they are argReduce)', () => {
    i32.set([4, 0], dims >> 2);
    for (const code of [unknown, REDUCE_OPS.indexOf('argmax'), REDUCE_OPS.indexOf('argmin')]) {
      expect(() => k.reduce(code, x, out, 1, dims)).toThrow(WebAssembly.RuntimeError);
    }
  });
});

// KernelExports is generated from the AssemblyScript signatures: every function export of every
// build is in it, with as many parameters, and nothing else is (the module also re-exports the
// memory it imports).
describe('kernel exports', () => {
  for (const variant of ['simd', 'relaxed'] as const) {
    for (const shared of [false, true]) {
      it(`${variant}${shared ? ', shared memory' : ''}: KernelExports lists every export`, () => {
        const module = kernelModule(variant, shared)!;
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared });
        const exports = instantiate(module, memory) as unknown as Record<string, unknown>;
        const arities = Object.fromEntries(
          WebAssembly.Module.exports(module)
            .filter(({ kind }) => kind === 'function')
            .map(({ name }) => [name, (exports[name] as (...args: number[]) => unknown).length]),
        );
        expect(arities).toEqual(KERNEL_ARITIES);
      });
    }
  }
});
