import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { clipGradNorm } from './clip.js';

/** Two parameters whose gradients [3, 4] and [12] have a global L2 norm of exactly 13. */
function withGradients() {
  const a = tensor([0, 0], undefined, { requiresGrad: true });
  const b = tensor([0], undefined, { requiresGrad: true });
  a.grad = tensor([3, 4]);
  b.grad = tensor([12]);
  return [a, b] as const;
}

describeEachBackend('clipGradNorm', () => {
  it('returns the global norm and scales every gradient to maxNorm', () => {
    const [a, b] = withGradients();
    expect(clipGradNorm([a, b], 6.5).item()).toBeCloseTo(13, 6);
    // torch's clip_grad_norm_: scale = maxNorm / (norm + 1e-6)
    const scale = 6.5 / (13 + 1e-6);
    const clipped = [...a.grad!.dataSync(), ...b.grad!.dataSync()];
    [3, 4, 12].forEach((g, i) => {
      expect(clipped[i]).toBeCloseTo(g * scale, 5);
    });
    const norm = Math.hypot(...clipped);
    expect(norm).toBeCloseTo(6.5, 5);
  });

  it('leaves gradients under the limit alone and skips parameters without one', () => {
    const [a, b] = withGradients();
    const c = tensor([1], undefined, { requiresGrad: true });
    expect(clipGradNorm([a, b, c], 20).item()).toBeCloseTo(13, 6);
    expect(Array.from(a.grad!.dataSync())).toEqual([3, 4]);
    expect(Array.from(b.grad!.dataSync())).toEqual([12]);
    expect(c.grad).toBeNull();
  });

  it('refuses a maxNorm that is not positive', () => {
    const [a] = withGradients();
    expect(() => clipGradNorm([a], 0)).toThrow('clipGradNorm: maxNorm must be > 0, got 0');
  });
});
