import type { Tensor } from '@scratchnet/tensor';
import { ReLU } from '../activations.js';
import { Conv2d } from '../conv2d.js';
import type { Module } from '../module.js';

/**
 * Whether `conv` then `relu` can run as one fused op (`Conv2d.forwardRelu`) without anyone
 * telling the difference: both are the library's own layers (their `forward` not replaced) and
 * no forward hook watches either, since a hook must see the convolution's output before ReLU.
 */
export function canFuseConvRelu(conv: Module, relu: Module): conv is Conv2d {
  return (
    conv instanceof Conv2d &&
    relu instanceof ReLU &&
    conv.forward === Conv2d.prototype.forward &&
    relu.forward === ReLU.prototype.forward &&
    !conv.hasForwardHooks() &&
    !relu.hasForwardHooks()
  );
}

/** A step of a network's pass: one of its layers, or a function of the tensor (`flatten`). */
export type LayerStep = Module | ((h: Tensor) => Tensor);

/**
 * The pass through `steps` as functions for `Module.pipe`: each layer through `apply` (so that
 * its hooks run), and each Conv2d directly followed by a ReLU as one fused op
 * (`Conv2d.forwardRelu`) when `canFuseConvRelu` allows. The one place a fusion is looked for:
 * every network runs its layers through here.
 */
export function fuseSteps(steps: readonly LayerStep[]): ((h: Tensor) => Tensor)[] {
  const out: ((h: Tensor) => Tensor)[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const next = steps[i + 1];
    if (typeof step === 'function') {
      out.push(step);
    } else if (next !== undefined && typeof next !== 'function' && canFuseConvRelu(step, next)) {
      out.push((h) => step.forwardRelu(h));
      i++;
    } else {
      out.push((h) => step.apply(h));
    }
  }
  return out;
}
