import { expect, it } from 'vitest';
import { grad } from '../autograd.js';
import { randn, tensor } from '../creation.js';
import { manualSeed } from '../random.js';
import type { Tensor } from '../tensor.js';
import { describeEachBackend } from '../testing/index.js';
import { conv2d } from './conv.js';

describeEachBackend('conv2d with a fused ReLU (relu: true)', () => {
  const leaf = (t: Tensor) => tensor(t.dataSync(), t.shape, { requiresGrad: true });
  const cases = [
    { name: 'with a bias', bias: true, options: {} },
    { name: 'with stride 2 and padding 1', bias: true, options: { stride: 2, padding: 1 } },
    { name: 'without a bias', bias: false, options: { padding: [1, 0] as const } },
  ];
  for (const { name, bias, options } of cases) {
    it(`gives conv2d(…).relu()'s values and gradients ${name}`, () => {
      manualSeed(7);
      const [x0, w0, b0] = [randn([2, 3, 7, 6]), randn([4, 3, 3, 3]), randn([4])];
      const r = randn([2, 4, 7, 6]);
      const run = (fused: boolean) => {
        const [x, w, b] = [leaf(x0), leaf(w0), leaf(b0)];
        const y = fused
          ? conv2d(x, w, bias ? b : null, { ...options, relu: true })
          : conv2d(x, w, bias ? b : null, options).relu();
        y.mul(r.slice([0, 0, 0, 0], y.shape))
          .sum()
          .backward();
        return { y: y.dataSync(), x: x.grad!.dataSync(), w: w.grad!.dataSync(), b: b.grad };
      };
      const [fused, unfused] = [run(true), run(false)];
      expect(fused.y).toEqual(unfused.y);
      // Both sides of the ReLU are exercised.
      expect(fused.y.some((v) => v === 0) && fused.y.some((v) => v > 0)).toBe(true);
      expect(fused.x).toEqual(unfused.x);
      expect(fused.w).toEqual(unfused.w);
      expect(fused.b?.dataSync()).toEqual(unfused.b?.dataSync());
    });
  }

  it('has the unfused second derivatives (grad of grad, in x and through to w)', () => {
    manualSeed(9);
    const [x0, w0, b0] = [randn([1, 2, 6, 6]), randn([3, 2, 3, 3]), randn([3])];
    const r = randn([1, 3, 6, 6]);
    const run = (fused: boolean) => {
      const w = leaf(w0);
      const f = (x: Tensor) =>
        (fused
          ? conv2d(x, w, b0, { padding: 1, relu: true })
          : conv2d(x, w, b0, { padding: 1 }).relu()
        )
          .mul(r)
          .sum();
      // The gradient in x, squared and summed: its gradient reaches w through the ReLU mask.
      const dx = grad(f)(x0);
      dx.mul(dx).sum().backward();
      return { dx: dx.dataSync(), w: w.grad!.dataSync() };
    };
    const [fused, unfused] = [run(true), run(false)];
    expect(fused.dx).toEqual(unfused.dx);
    expect(fused.w).toEqual(unfused.w);
  });

  it('is the plain convolution with relu: false', () => {
    manualSeed(8);
    const [x, w] = [randn([1, 2, 5, 5]), randn([3, 2, 3, 3])];
    expect(conv2d(x, w, null, { relu: false }).dataSync()).toEqual(conv2d(x, w).dataSync());
  });
});
