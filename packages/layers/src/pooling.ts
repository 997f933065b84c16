import {
  avgPool2d,
  maxPool2d,
  type Pair,
  type Pool2dOptions,
  type Tensor,
} from '@scratchnet/tensor';
import { Module } from './module.js';

/** The book's Pooling layer: the largest value of each window (figure 7-14). */
export class MaxPool2d extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'MaxPool2d';
  /** Window size, stride and padding. */
  readonly options: Pool2dOptions;

  /** The stride defaults to the kernel size, as in PyTorch and the book's 2×2/stride-2 pools. */
  constructor(kernelSize: Pair, stride?: Pair, padding: Pair = 0) {
    super();
    this.options = { kernelSize, stride: stride ?? kernelSize, padding };
  }

  forward(x: Tensor): Tensor {
    return this.withLabel(() => maxPool2d(x, this.options));
  }
}

/** The mean of each window; padded cells count as zeros (PyTorch's default). */
export class AvgPool2d extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'AvgPool2d';
  /** Window size, stride and padding. */
  readonly options: Pool2dOptions;

  /** The stride defaults to the kernel size, as in PyTorch. */
  constructor(kernelSize: Pair, stride?: Pair, padding: Pair = 0) {
    super();
    this.options = { kernelSize, stride: stride ?? kernelSize, padding };
  }

  forward(x: Tensor): Tensor {
    return this.withLabel(() => avgPool2d(x, this.options));
  }
}
