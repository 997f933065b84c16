import { div, minimum, noGrad, scope, type Tensor, zeros } from '@scratchnet/tensor';

/**
 * Scales all gradients together so that their global L2 norm is at most `maxNorm`, as PyTorch's
 * `clip_grad_norm_`, and returns the norm before clipping as a 0-d tensor (as PyTorch does).
 * Everything runs on the backend: nothing is read back, so a training loop that clips every step
 * never waits on a read (`await norm.itemAsync()` when you want to log it).
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(net.parameters(), 5);
 * optimizer.step();
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): Tensor {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const withGrad = [...params].filter((p) => p.grad !== null);
  return noGrad(() => scope(() => clipAll(withGrad, maxNorm)));
}

/** Scales the gradients in place (each keeps its identity), returning the norm before. */
function clipAll(withGrad: readonly Tensor[], maxNorm: number): Tensor {
  if (withGrad.length === 0) return zeros([]);
  const total = withGrad
    .map((p) => p.grad!.square().sum())
    .reduce((sum, term) => sum.add(term))
    .sqrt();
  // min(1, maxNorm / (‖g‖ + 1e-6)): a factor of exactly 1 leaves the gradients bit for bit.
  const factor = minimum(div(maxNorm, total.add(1e-6)), 1);
  for (const p of withGrad) p.grad!.assign(p.grad!.mul(factor));
  return total;
}
