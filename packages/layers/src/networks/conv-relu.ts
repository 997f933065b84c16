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
  return fusible(conv, relu);
}

function fusible(conv: Module, relu: Module): boolean {
  return (
    conv instanceof Conv2d &&
    relu instanceof ReLU &&
    conv.forward === Conv2d.prototype.forward &&
    relu.forward === ReLU.prototype.forward &&
    !conv.hasForwardHooks() &&
    !relu.hasForwardHooks()
  );
}

/**
 * `relu.apply(conv.apply(x))`, the book's Conv → ReLU pair: one fused op when nothing watches the
 * output between them (see `canFuseConvRelu`), else the two modules with their hooks. The values
 * and gradients are the same either way.
 */
export function applyConvRelu(conv: Conv2d, relu: ReLU, x: Tensor): Tensor {
  return fusible(conv, relu) ? conv.forwardRelu(x) : relu.apply(conv.apply(x));
}
