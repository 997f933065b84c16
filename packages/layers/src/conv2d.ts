import { conv2d, formatShape, type Pair, ShapeError, type Tensor } from '@scratchnet/tensor';
import { type Init, type InitOptions, initBias, initWeight } from './init.js';
import { Module } from './module.js';
import { type Parameter, parameterFrom } from './parameter.js';

/** Options of the `Conv2d` layer. */
export interface Conv2dLayerOptions extends InitOptions {
  /** Step between filter positions, one number or [vertical, horizontal] (default 1). */
  stride?: Pair;
  /** Zeros added on each side of the image (default 0). */
  padding?: Pair;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** How the weights start (default `'pytorch'`; the book's networks pass a std or `'he'`). */
  init?: Init;
}

/**
 * The book's Convolution layer (chapter 7.4), through the `conv2d` primitive: the reference
 * backend computes it as the book does (im2col, then one matrix product with the filters, in
 * `@scratchnet/tensor`'s `cpu/conv.ts`); the wasm backend does the same one image at a time.
 * Weight [outChannels, inChannels, kh, kw] and bias [outChannels], as PyTorch's `nn.Conv2d` and
 * as the book's W and b.
 *
 * @example
 * const conv = new Conv2d(1, 30, 5); // SimpleConvNet's conv1: 30 filters of 5×5
 * conv.forward(zeros([8, 1, 28, 28])).shape; // [8, 30, 24, 24]
 */
export class Conv2d extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Conv2d';
  /** The filters [outChannels, inChannels, kh, kw]: the book's W. */
  readonly weight: Parameter;
  /** One bias per output channel [outChannels] (the book's b), or null without `bias`. */
  readonly bias: Parameter | null;
  /** Step between filter positions. */
  readonly stride: Pair;
  /** Zeros added on each side of the image. */
  readonly padding: Pair;

  /**
   * @param options - Stride, padding, bias, initialisation and generator: see {@link
   *   Conv2dLayerOptions}.
   */
  constructor(
    /** Channels of the input image (C). */
    readonly inChannels: number,
    /** Number of filters: channels of the output. */
    readonly outChannels: number,
    /** Filter size, one number or [height, width]. */
    readonly kernelSize: Pair,
    { stride = 1, padding = 0, bias = true, init = 'pytorch', generator }: Conv2dLayerOptions = {},
  ) {
    super();
    const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    const fanIn = inChannels * kh * kw;
    this.weight = parameterFrom(
      initWeight([outChannels, inChannels, kh, kw], fanIn, init, { generator }),
    );
    this.bias = bias ? parameterFrom(initBias(outChannels, fanIn, init, { generator })) : null;
    this.stride = stride;
    this.padding = padding;
  }

  forward(x: Tensor): Tensor {
    return this.convolve(x, false);
  }

  /**
   * This layer then ReLU as one op (conv2d's `relu` option): the values and gradients of
   * `forward(x).relu()`, with one pass less over the output each way. The book's networks run it
   * for a Conv → ReLU pair when no forward hook watches either layer; it runs no hooks itself.
   */
  forwardRelu(x: Tensor): Tensor {
    return this.convolve(x, true);
  }

  private convolve(x: Tensor, relu: boolean): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[0] === 0) {
      const [, , kh, kw] = this.weight.shape;
      const problem =
        x.rank !== 4
          ? `a rank-${x.rank} input`
          : x.shape[0] === 0
            ? 'an empty batch'
            : `${x.shape[1]} input channels`;
      throw new ShapeError(
        `${this.label}: input ${formatShape(x.shape)} has ${problem}; this layer (${kh}×${kw} filters, ${this.inChannels} → ${this.outChannels} channels) expects [batch ≥ 1, ${this.inChannels}, height, width]`,
      );
    }
    return this.withLabel(() =>
      conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, relu }),
    );
  }
}
