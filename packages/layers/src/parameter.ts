import { Tensor } from '@scratchnet/tensor';

/**
 * A tensor that a module learns: it requires grad, and `parameters()` finds it. The book keeps
 * these in the `params` dict (W1, b1, …); here each layer owns its own.
 */
export class Parameter extends Tensor {
  constructor(values: Tensor) {
    super(values.data, values.shape, values.backend);
    this.requiresGrad = true;
  }
}
