import { softmax, type Tensor } from '@scratchnet/tensor';
import { Module } from './module.js';

/** The book's Relu layer: max(0, x). */
export class ReLU extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'ReLU';

  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** The book's Sigmoid layer: 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Sigmoid';

  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/**
 * The hyperbolic tangent as a layer: the activation the book compares with sigmoid and ReLU when it
 * studies weight initialisation (section 6.2).
 */
export class Tanh extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Tanh';

  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** Softmax over the last axis (for inference; train with the fused softmax cross-entropy). */
export class Softmax extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Softmax';

  /** A softmax over `axis` (the last by default). */
  constructor(
    /** The axis the probabilities sum to 1 along. */
    readonly axis = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
}

/** [N, …] → [N, features], before the first Linear layer after convolutions. */
export class Flatten extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Flatten';

  /** Merges axes `startAxis`..`endAxis` (all but the batch axis by default). */
  constructor(
    /** The first axis merged (1: keep the batch axis). */
    readonly startAxis = 1,
    /** The last axis merged (-1: the last). */
    readonly endAxis = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startAxis, this.endAxis);
  }
}
