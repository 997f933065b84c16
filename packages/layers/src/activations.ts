import { softmax, type Tensor } from '@scratchnet/tensor';
import { Module } from './module.js';

/** The book's Relu layer: max(0, x). */
export class ReLU extends Module {
  static readonly typeName: string = 'ReLU';

  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** The book's Sigmoid layer: 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  static readonly typeName: string = 'Sigmoid';

  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Tanh extends Module {
  static readonly typeName: string = 'Tanh';

  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** Softmax over the last axis (for inference; train with the fused softmax cross-entropy). */
export class Softmax extends Module {
  static readonly typeName: string = 'Softmax';

  constructor(readonly axis = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
}

/** [N, …] → [N, features], before the first Linear layer after convolutions. */
export class Flatten extends Module {
  static readonly typeName: string = 'Flatten';

  constructor(
    readonly startAxis = 1,
    readonly endAxis = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startAxis, this.endAxis);
  }
}
