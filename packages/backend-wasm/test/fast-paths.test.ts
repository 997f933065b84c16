/**
 * The kernels' fast paths at sizes the shared suite does not reach: 2×2/stride-2 max-pool
 * backward four windows at a time (ties and NaN included) and the blocked transpose behind
 * permute, against the reference backend, bit for bit; the fused Adam step against the composed
 * ops it replaces.
 */
import v8 from 'node:v8';
import { Adam } from '@scratchnet/optimizers';
import {
  cpuBackend,
  manualSeed,
  randn,
  registerBackend,
  setBackend,
  type WindowGeometry,
} from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/node.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const backends: WasmBackend[] = [];
afterAll(async () => {
  setBackend('cpu');
  await Promise.all(backends.map((b) => b.close()));
});

/** Values with many ties (a few levels), some −0 and, if asked, NaNs. */
function awkward(n: number, nans: boolean): Float32Array {
  const out = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const r = seed / 2 ** 32;
    out[i] = r < 0.05 && nans ? Number.NaN : r < 0.1 ? -0 : Math.floor(r * 6) - 3;
  }
  return out;
}

/** The values, with −0 read as 0 (max-pool's forward may return either for a tie of ±0). */
const plain = (values: Float32Array) => Array.from(values, (v) => (v === 0 ? 0 : v));

for (const threads of [1, 2]) {
  describe(`fast paths, ${threads} thread(s)`, async () => {
    const wasm = await createWasmBackend({
      threads,
      variant: 'simd',
      minParallelWork: { gemm: 0, window: 0, elementwise: 0 },
    });
    backends.push(wasm);

    for (const [h, w, nans] of [
      [24, 24, false],
      [8, 19, true],
      [9, 9, true],
    ] as const) {
      it(`max-pool 2×2/2 forward and backward on 3×5×${h}×${w}${nans ? ' with NaN' : ''}`, () => {
        const g: WindowGeometry = {
          n: 3,
          c: 5,
          h,
          w,
          kh: 2,
          kw: 2,
          strideH: 2,
          strideW: 2,
          padH: 0,
          padW: 0,
          outH: Math.floor(h / 2),
          outW: Math.floor(w / 2),
        };
        const x = awkward(g.n * g.c * h * w, nans);
        const dy = awkward(g.n * g.c * g.outH * g.outW, false).map((v, i) => v + i);
        const size = x.length;
        const outSize = dy.length;
        const fw = wasm.read(wasm.maxPool2d(wasm.upload(x), g), outSize);
        const fc = cpuBackend.read(cpuBackend.maxPool2d(cpuBackend.upload(x), g), outSize);
        expect(plain(fw)).toEqual(plain(fc));
        const bw = wasm.read(wasm.maxPool2dBackward(wasm.upload(dy), wasm.upload(x), g), size);
        const bc = cpuBackend.read(
          cpuBackend.maxPool2dBackward(cpuBackend.upload(dy), cpuBackend.upload(x), g),
          size,
        );
        expect(plain(bw)).toEqual(plain(bc));
      });
    }

    it('the fused Adam step gives the bits of the composed ops', () => {
      // The same backend without adamStep: Adam falls back to its composed ops.
      const composed = Object.assign(Object.create(wasm) as WasmBackend, {
        name: `wasm-composed-${threads}`,
        adamStep: undefined,
      });
      registerBackend(wasm);
      registerBackend(composed);
      const run = (name: string) => {
        setBackend(name);
        manualSeed(3);
        const w = randn([1037]); // not a multiple of 4 or of the thread split
        w.requiresGrad = true;
        const optimizer = new Adam([w], { lr: 0.01 });
        for (let step = 0; step < 4; step++) {
          optimizer.zeroGrad();
          w.mul(w)
            .mul(randn([1037]))
            .sum()
            .backward();
          optimizer.step();
        }
        return w.dataSync();
      };
      const fused = run('wasm');
      const reference = run(composed.name);
      setBackend('cpu');
      expect(fused).toEqual(reference);
    });

    for (const shape of [
      [2, 7, 9, 30],
      [3, 4, 4, 4],
      [1, 5, 6, 13],
    ]) {
      it(`permute NHWC → NCHW and back on ${shape.join('×')}`, () => {
        const [n, hh, ww, c] = shape as [number, number, number, number];
        const x = awkward(n * hh * ww * c, true).map((v, i) => (Number.isNaN(v) ? v : v + i));
        const hw = hh * ww;
        const toNchw = { outShape: [n, c, hh, ww], strides: [hw * c, 1, ww * c, c], offset: 0 };
        const toNhwc = { outShape: [n, hh, ww, c], strides: [c * hw, ww, 1, hw], offset: 0 };
        const a = wasm.read(wasm.gather(wasm.upload(x), toNchw), x.length);
        expect(a).toEqual(
          cpuBackend.read(cpuBackend.gather(cpuBackend.upload(x), toNchw), x.length),
        );
        const b = wasm.read(wasm.gather(wasm.upload(a), toNhwc), x.length);
        expect(b).toEqual(x);
      });
    }
  });
}
