import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, getBackend, registerBackend, setBackend } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { randn, tensor } from '../creation.js';
import { manualSeed } from '../random.js';
import type { Tensor } from '../tensor.js';
import { conv2d } from './conv.js';

/**
 * A backend that starts small: the reference backend's kernels, but no fused Conv → ReLU. The
 * core must never ask it for one, and must give the fused op's values and gradients anyway.
 */
const asked: boolean[] = [];
const plainBackend: Backend<Float32Array> = {
  ...cpuBackend,
  name: 'cpu-without-fused-relu',
  fusesConvRelu: false,
  conv2d(x, w, bias, g, outChannels, relu) {
    asked.push(relu ?? false);
    return cpuBackend.conv2d(x, w, bias, g, outChannels);
  },
};
registerBackend(plainBackend);

describe('conv2d with relu on a backend without the fused kernel', () => {
  const before = getBackend().name;
  afterEach(() => setBackend(before));

  it('composes conv2d and relu: the fused op’s values and gradients, never asking for relu', () => {
    manualSeed(11);
    const [x0, w0, b0] = [randn([2, 3, 6, 6]), randn([4, 3, 3, 3]), randn([4])];
    const leaf = (t: Tensor) => tensor(t.dataSync(), t.shape, { requiresGrad: true });
    const run = (backend: string) => {
      setBackend(backend);
      const [x, w, b] = [leaf(x0), leaf(w0), leaf(b0)];
      const y = conv2d(x, w, b, { padding: 1, relu: true });
      y.sum().backward();
      return {
        y: y.dataSync(),
        x: x.grad!.dataSync(),
        w: w.grad!.dataSync(),
        b: b.grad!.dataSync(),
      };
    };
    const fused = run('cpu');
    asked.length = 0;
    const composed = run('cpu-without-fused-relu');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((relu) => relu === false)).toBe(true);
    expect(composed.y).toEqual(fused.y);
    expect(composed.y.some((v) => v === 0) && composed.y.some((v) => v > 0)).toBe(true);
    expect(composed.x).toEqual(fused.x);
    expect(composed.w).toEqual(fused.w);
    expect(composed.b).toEqual(fused.b);
  });
});
