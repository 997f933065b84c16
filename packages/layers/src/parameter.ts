import { keep, Tensor } from '@scratchnet/tensor';

/**
 * A tensor that a module learns: it requires grad, and `parameters()` finds it. The book keeps
 * these in the `params` dict (W1, b1, …); here each layer owns its own. It shares the buffer of
 * the tensor it is made from (as PyTorch's `nn.Parameter(t)`), and no scope disposes it: its
 * module's owner does, with `dispose()`, when the model is done with.
 */
export class Parameter extends Tensor {
  constructor(values: Tensor) {
    super(values.data, values.shape, values.backend);
    this.requiresGrad = true;
    keep(this);
  }
}

/** A layer's parameter from values the layer made for it (an initialiser's): those are let go. */
export function parameterFrom(values: Tensor): Parameter {
  const parameter = new Parameter(values);
  values.dispose();
  return parameter;
}
