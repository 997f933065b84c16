import { describe, expect, it } from 'vitest';
import { writeGeometry } from './geometry.js';
import { instantiate, kernelModule } from './kernels.js';

// Winograd F(2×2, 3×3) and F(4×4, 3×3) kernels called directly on DeepConvNet's 3×3 layers, against
// the float64 definition: forward, input gradient (filters turned, padding 2 − p) and weight
// gradient, and F(4×4)'s fused bias and ReLU. F(4×4) rounds worse (its transforms have
// coefficients up to 8 and 1/24); the table printed is the largest error of each relative to the
// largest exact value.

type Kernels = Record<string, (...args: number[]) => number>;

/** [name, in channels, image side, padding, out channels]. */
const LAYERS: [string, number, number, number, number][] = [
  ['conv2 16→16 28×28', 16, 28, 1, 16],
  ['conv3 16→32 14×14', 16, 14, 1, 32],
  ['conv4 32→32 14×14 pad 2', 32, 14, 2, 32],
  ['conv5 32→64 8×8', 32, 8, 1, 64],
  ['conv6 64→64 8×8', 64, 8, 1, 64],
];

function definition(
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  n: number,
  c: number,
  side: number,
  pad: number,
  outC: number,
) {
  const out = side + 2 * pad - 2;
  const y = new Float64Array(n * outC * out * out);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < outC; o++) {
      for (let ch = 0; ch < c; ch++) {
        for (let t = 0; t < 9; t++) {
          const wi = (o * c + ch) * 9 + t;
          const ky = Math.floor(t / 3);
          const kx = t % 3;
          for (let oy = 0; oy < out; oy++) {
            const iy = oy + ky - pad;
            if (iy < 0 || iy >= side) continue;
            for (let ox = 0; ox < out; ox++) {
              const ix = ox + kx - pad;
              if (ix < 0 || ix >= side) continue;
              const xi = ((b * c + ch) * side + iy) * side + ix;
              const yi = ((b * outC + o) * out + oy) * out + ox;
              y[yi]! += w[wi]! * x[xi]!;
              dx[xi]! += w[wi]! * dy[yi]!;
              dw[wi]! += x[xi]! * dy[yi]!;
            }
          }
        }
      }
    }
  }
  return { y, dx, dw };
}

/** max |got − want| / max |want|. */
function relativeError(got: Float32Array, want: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return err / scale;
}

describe('Winograd F(2×2) and F(4×4) on DeepConvNet shapes, against float64', () => {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 4096 });
  const k = instantiate(kernelModule('simd', false)!, memory) as unknown as Kernels;
  let seed = 7;
  const uniform = (size: number) =>
    Float32Array.from({ length: size }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed / 2 ** 32) * 2 - 1;
    });
  const rows: string[] = [];

  it.each(LAYERS)('%s', (label, c, side, pad, outC) => {
    const n = 2;
    const out = side + 2 * pad - 2;
    const x = uniform(n * c * side * side);
    const w = uniform(outC * c * 9);
    const dy = uniform(n * outC * out * out);
    const bias = uniform(outC);
    const want = definition(x, w, dy, n, c, side, pad, outC);
    let top = (k.heapBase!() + 63) & ~63;
    const alloc = (floats: number) => {
      const at = top;
      top = (top + 4 * floats + 63) & ~63;
      if (top > memory.buffer.byteLength) {
        memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      }
      return at;
    };
    const scratch = alloc(k.gemmScratchBytes!() / 4);
    const put = (values: Float32Array) => {
      const at = alloc(values.length);
      new Float32Array(memory.buffer, at, values.length).set(values);
      return at;
    };
    const [xp, wp, dyp] = [put(x), put(w), put(dy)];
    // The kernels' geometry struct for a 3×3, stride-1 convolution of [n, ci, s, s] with pad p.
    const geometry = (ci: number, s: number, p: number, o: number) =>
      writeGeometry(new Int32Array(memory.buffer), alloc(12), {
        n,
        c: ci,
        h: s,
        w: s,
        kh: 3,
        kw: 3,
        strideH: 1,
        strideW: 1,
        padH: p,
        padW: p,
        outH: o,
        outW: o,
      });
    const get = (at: number, size: number) => new Float32Array(memory.buffer, at, size).slice();
    const errors: Record<string, number[]> = {};
    for (const f of ['2', '4'] as const) {
      const name = f === '2' ? '' : '4';
      // The convolution of `input` ([n, ci, s, s]) into [n, co, …] with padding p.
      // With `bias`, plus that per output channel, then max(0, ·).
      const convolve = (
        input: number,
        flip: number,
        ci: number,
        s: number,
        p: number,
        co: number,
        bias = 0,
      ) => {
        const o = s + 2 * p - 2;
        const u = alloc(f === '2' ? 16 * co * ci : k.winograd4FilterFloats!(co, ci));
        k[`winograd${name}Filters`]!(wp, u, flip ? ci : co, flip ? co : ci, flip);
        const work = alloc(k[`winograd${name}ScratchFloats`]!(ci, co, s, s, p, o, o));
        const y = alloc(n * co * o * o);
        const fused = bias ? 1 : 0;
        k[`conv2dWinograd${name}`]!(
          input,
          u,
          bias,
          fused,
          y,
          0,
          n,
          co,
          work,
          scratch,
          geometry(ci, s, p, o),
          fused,
        );
        return get(y, n * co * o * o);
      };
      const y = convolve(xp, 0, c, side, pad, outC);
      if (f === '4') {
        const plane = out * out;
        const fused = convolve(xp, 0, c, side, pad, outC, put(bias));
        const exact = want.y.map((v, i) => Math.max(0, v + bias[Math.floor(i / plane) % outC]!));
        expect(relativeError(fused, exact)).toBeLessThan(3e-5);
        expect(fused.every((v) => v >= 0)).toBe(true);
      }
      const dx = convolve(dyp, 1, outC, out, 2 - pad, c);
      const s = alloc(f === '2' ? 16 * outC * c : k.winograd4FilterFloats!(outC, c));
      const work = alloc(
        k[`winograd${name}FilterGradScratchFloats`]!(c, outC, side, side, pad, out, out),
      );
      k[`conv2dWinograd${name}FilterGrad`]!(
        xp,
        dyp,
        s,
        0,
        n,
        outC,
        0,
        work,
        scratch,
        geometry(c, side, pad, out),
      );
      const dw = alloc(outC * c * 9);
      k[`winograd${name}FilterGradients`]!(s, dw, outC, c);
      errors[f] = [
        relativeError(y, want.y),
        relativeError(dx, want.dx),
        relativeError(get(dw, w.length), want.dw),
      ];
    }
    const show = (e: number[]) => e.map((v) => v.toExponential(1)).join(' / ');
    rows.push(`${label.padEnd(26)} F(2×2) ${show(errors['2']!)}   F(4×4) ${show(errors['4']!)}`);
    if (rows.length === LAYERS.length) {
      console.log(
        `max |error| / max |exact|, conv2d / input grad / weight grad:\n${rows.join('\n')}`,
      );
    }
    for (const e of errors['2']!) expect(e).toBeLessThan(2e-6);
    for (const e of errors['4']!) expect(e).toBeLessThan(3e-5);
  });
});
