import { formatShape, linear, ShapeError, type Tensor } from '@scratchnet/tensor';
import { type Init, type InitOptions, initBias, initWeight } from './init.js';
import { Module } from './module.js';
import { type Parameter, parameterFrom } from './parameter.js';

/** Options of the `Linear` layer. */
export interface LinearOptions extends InitOptions {
  /** Learn a bias (default true). */
  bias?: boolean;
  /** How the weights start (default `'pytorch'`; the book's networks pass a std or `'he'`). */
  init?: Init;
}

/**
 * y = x·Wᵀ + b: the book's Affine layer. The weight is [out, in] as PyTorch's `nn.Linear`, the
 * transpose of the book's W (in, out); the importer of the book's parameters transposes.
 *
 * @example
 * const fc = new Linear(4320, 100, { init: { std: 0.01 } }); // SimpleConvNet's Affine1
 * fc.forward(zeros([8, 4320])).shape; // [8, 100]
 */
export class Linear extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Linear';
  /** The weight [outFeatures, inFeatures]: the book's W, transposed. */
  readonly weight: Parameter;
  /** The bias [outFeatures] (the book's b), or null without `bias`. */
  readonly bias: Parameter | null;

  /** @param options - Bias, initialisation and generator: see {@link LinearOptions}. */
  constructor(
    /** Size of each input sample (the last axis of the input). */
    readonly inFeatures: number,
    /** Size of each output sample. */
    readonly outFeatures: number,
    { bias = true, init = 'pytorch', generator }: LinearOptions = {},
  ) {
    super();
    this.weight = parameterFrom(
      initWeight([outFeatures, inFeatures], inFeatures, init, { generator }),
    );
    this.bias = bias ? parameterFrom(initBias(outFeatures, inFeatures, init, { generator })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures || x.shape[0] === 0) {
      const problem =
        x.rank >= 1 && x.shape[0] === 0 && x.shape[x.rank - 1] === this.inFeatures
          ? 'an empty batch'
          : `${x.shape[x.rank - 1] ?? 0} features`;
      throw new ShapeError(
        `${this.label}: input ${formatShape(x.shape)} has ${problem}; this layer (${this.inFeatures} → ${this.outFeatures}) expects [batch ≥ 1, ${this.inFeatures}]`,
      );
    }
    return linear(x, this.weight, this.bias);
  }
}
