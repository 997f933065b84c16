import { noGrad, type Tensor } from '@scratchnet/tensor';

/**
 * Scales all gradients together so that their global L2 norm is at most `maxNorm`, as PyTorch's
 * `clip_grad_norm_`. Returns the norm before clipping (useful to log).
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  const withGrad = [...params].filter((p) => p.grad !== null);
  const total = Math.sqrt(
    withGrad.reduce((sum, p) => sum + noGrad(() => p.grad!.square().sum().item()), 0),
  );
  const scale = maxNorm / (total + 1e-6);
  if (scale < 1) {
    noGrad(() => {
      for (const p of withGrad) p.grad = p.grad!.mul(scale);
    });
  }
  return total;
}
