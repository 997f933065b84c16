import { conv2d, formatShape, type Pair, ShapeError, type Tensor } from '@scratchnet/tensor';
import { type Init, type InitOptions, initBias, initWeight } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface Conv2dLayerOptions extends InitOptions {
  stride?: Pair;
  padding?: Pair;
  bias?: boolean;
  init?: Init;
}

/**
 * The book's Convolution layer (chapter 7.4), through the `conv2d` primitive: the reference
 * backend computes it as the book does (im2col, then one matrix product with the filters, in
 * `@scratchnet/tensor`'s `cpu/conv.ts`); the wasm backend does the same one image at a time.
 * Weight [outChannels, inChannels, kh, kw] and bias [outChannels], as PyTorch's `nn.Conv2d` and
 * as the book's W and b.
 */
export class Conv2d extends Module {
  static readonly typeName: string = 'Conv2d';
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: Pair;
  readonly padding: Pair;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: Pair,
    { stride = 1, padding = 0, bias = true, init = 'pytorch', generator }: Conv2dLayerOptions = {},
  ) {
    super();
    const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    const fanIn = inChannels * kh * kw;
    this.weight = new Parameter(
      initWeight([outChannels, inChannels, kh, kw], fanIn, init, { generator }),
    );
    this.bias = bias ? new Parameter(initBias(outChannels, fanIn, init, { generator })) : null;
    this.stride = stride;
    this.padding = padding;
  }

  forward(x: Tensor): Tensor {
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
      conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding }),
    );
  }
}
