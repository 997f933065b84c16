/**
 * Fused ops: several primitives' work in one pass on a backend that implements it natively
 * (`Backend.adamStep`), the same float32 operations composed from primitives on any other. A new
 * backend can so start with the primitives alone and add a fused kernel when it pays.
 */
import type { AdamSpec } from '../backend.js';
import { noGrad } from '../grad-mode.js';
import { scope } from '../memory.js';
import { placeInputs } from '../primitives.js';
import { Tensor } from '../tensor.js';

/** What one Adam step gives: the updated parameter and moments (new tensors). */
export interface AdamStepResult {
  /** param − lr·m̂ / (√v̂ + ε) */
  param: Tensor;
  /** The first moment m′ = β1·m + (1 − β1)·g. */
  m: Tensor;
  /** The second moment v′ = β2·v + (1 − β2)·g². */
  v: Tensor;
}

/**
 * One Adam step (the book's section 6.1.6) over a parameter, without gradient tracking:
 * m′ = m·β1 + g·(1 − β1); v′ = v·β2 + (g·g)·(1 − β2);
 * param′ = param − (m′/correction1)·lr / (√(v′/correction2) + ε). On a backend with a fused
 * kernel (`Backend.adamStep`) it is one pass over memory instead of about ten; the results are the
 * same float32 values either way. The inputs are left as they were.
 *
 * @example
 * const { param, m, v } = adamStep(w, w.grad!, m0, v0, {
 *   beta1: 0.9, beta2: 0.999, lr: 0.001, eps: 1e-7, correction1: 0.1, correction2: 0.001,
 * });
 */
export function adamStep(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  spec: AdamSpec,
): AdamStepResult {
  const {
    backend,
    args: [p, g, m0, v0],
    disposeCopies,
  } = placeInputs('adamStep', [param, grad, m, v]);
  try {
    if (backend.adamStep && [g!, m0!, v0!].every((x) => x.size === p!.size)) {
      const [pd, md, vd] = backend.adamStep(p!.data, g!.data, m0!.data, v0!.data, p!.size, spec);
      return {
        param: new Tensor(pd, p!.shape, backend),
        m: new Tensor(md, p!.shape, backend),
        v: new Tensor(vd, p!.shape, backend),
      };
    }
    return noGrad(() => scope(() => composedAdamStep(p!, g!, m0!, v0!, spec)));
  } finally {
    disposeCopies();
  }
}

/** `adamStep` from primitives, in the fused kernel's order of float32 operations. */
function composedAdamStep(
  param: Tensor,
  grad: Tensor,
  m0: Tensor,
  v0: Tensor,
  { beta1, beta2, lr, eps, correction1, correction2 }: AdamSpec,
): AdamStepResult {
  const m = m0.mul(beta1).add(grad.mul(1 - beta1));
  const v = v0.mul(beta2).add(grad.square().mul(1 - beta2));
  const mHat = m.div(correction1);
  const vHat = v.div(correction2);
  return { param: param.sub(mHat.mul(lr).div(vHat.sqrt().add(eps))), m, v };
}
