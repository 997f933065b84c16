import type { Tensor } from '@scratchnet/tensor';
import { ReLU, Sigmoid } from '../activations.js';
import { BatchNorm1d } from '../batch-norm.js';
import { Dropout } from '../dropout.js';
import type { Init } from '../init.js';
import { Linear } from '../linear.js';
import type { Module } from '../module.js';
import type { LayerSpec } from './layer-specs.js';
import { Network } from './network.js';

/** Options of `MultiLayerNet`: the book's constructor arguments. */
export interface MultiLayerNetOptions {
  /** Values per input sample (the book's `input_size`, 784). */
  inputSize?: number;
  /** Units of each hidden layer (the book's `hidden_size_list`; default five of 100). */
  hiddenSizeList?: number[];
  /** Classes (the book's `output_size`, 10). */
  outputSize?: number;
  /** The activation between affine layers (the book's `activation`, 'relu'). */
  activation?: 'relu' | 'sigmoid';
  /**
   * The book's `weight_init_std`: 'relu' or 'he' for He, 'sigmoid' or 'xavier' for Xavier, or a
   * fixed standard deviation.
   */
  weightInitStd?: number | 'relu' | 'he' | 'sigmoid' | 'xavier';
  /** λ of the book's weight decay: ½λΣW² over every affine weight is added to the loss. */
  weightDecayLambda?: number;
}

/**
 * Options of `MultiLayerNetExtend`: `MultiLayerNet`'s and the book's dropout and batch norm
 * switches.
 */
export interface MultiLayerNetExtendOptions extends MultiLayerNetOptions {
  /** Add a dropout layer after each hidden activation (the book's `use_dropout`, false). */
  useDropout?: boolean;
  /** The fraction dropped (the book's `dropout_ration`, 0.5). */
  dropoutRatio?: number;
  /**
   * Add batch norm between each hidden affine layer and its activation (the book's `use_batchnorm`,
   * false).
   */
  useBatchnorm?: boolean;
}

function initRule(weightInitStd: MultiLayerNetOptions['weightInitStd']): Init {
  if (typeof weightInitStd === 'number') return { std: weightInitStd };
  return weightInitStd === 'relu' || weightInitStd === 'he' ? 'he' : 'xavier';
}

/**
 * MultiLayerNet as layer specs on an input of [inputSize], with its own layer names (so the same
 * state dict): `networkStateShapes` sizes it from these. (The network itself also takes any input
 * of inputSize values per sample and flattens it.)
 */
export function multiLayerNetSpecs({
  hiddenSizeList = [100, 100, 100, 100, 100],
  outputSize = 10,
  activation = 'relu',
  weightInitStd = 'relu',
  useDropout = false,
  dropoutRatio = 0.5,
  useBatchnorm = false,
}: MultiLayerNetExtendOptions = {}): LayerSpec[] {
  const init = initRule(weightInitStd);
  const sizes = [...hiddenSizeList, outputSize];
  return sizes.flatMap((size, index): LayerSpec[] => {
    const i = index + 1;
    const fc: LayerSpec = { type: 'linear', name: `fc${i}`, outFeatures: size, init };
    if (i === sizes.length) return [fc];
    return [
      fc,
      ...(useBatchnorm ? [{ type: 'batchNorm', name: `bn${i}`, ...bookBatchNorm } as const] : []),
      { type: activation === 'relu' ? 'relu' : 'sigmoid', name: `act${i}` },
      ...(useDropout
        ? [{ type: 'dropout', name: `dropout${i}`, p: dropoutRatio, style: 'book' } as const]
        : []),
    ];
  });
}

/**
 * The book's BatchNormalization: ε 1e-6, its momentum 0.9 (PyTorch's 0.1), biased variance, and
 * running statistics that start at zeros (PyTorch starts the variance at 1).
 */
const bookBatchNorm = { eps: 1e-6, momentum: 0.1, unbiasedRunningVar: false, initialRunningVar: 0 };

/**
 * The book's MultiLayerNet (chapter 6) and, with dropout or batch norm switched on, its
 * MultiLayerNetExtend: fully connected layers fc1 … fcN with an activation between them.
 * Layer order per hidden layer: affine → (batch norm) → activation → (dropout).
 *
 * @example
 * const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100], outputSize: 10 });
 * net.loss(x, labels).backward();
 */
export class MultiLayerNet extends Network {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'MultiLayerNet';
  /** Its options, defaults filled in, as plain JSON: what its model file stores. */
  readonly config: {
    /** `'mlp'`. */
    architecture: string;
    /** Values per input sample. */
    inputSize: number;
    /** Units of each hidden layer. */
    hiddenSizeList: number[];
    /** Classes. */
    outputSize: number;
    /** The activation between affine layers. */
    activation: 'relu' | 'sigmoid';
    /** The weights' initial std, or the activation whose rule sets it. */
    weightInitStd: number | 'relu' | 'sigmoid' | 'he' | 'xavier';
    /** λ of the weight decay (0: none). */
    weightDecayLambda: number;
    /** Whether there are dropout layers. */
    useDropout: boolean;
    /** Their fraction dropped. */
    dropoutRatio: number;
    /** Whether there are batch norm layers. */
    useBatchnorm: boolean;
  };
  readonly inputShape: readonly number[];
  readonly #sequence: Module[] = [];
  readonly #weights: Linear[] = [];
  readonly #weightDecayLambda: number;

  constructor(options: MultiLayerNetExtendOptions = {}) {
    super();
    const {
      inputSize = 784,
      hiddenSizeList = [100, 100, 100, 100, 100],
      outputSize = 10,
      activation = 'relu',
      weightInitStd = 'relu',
      weightDecayLambda = 0,
      useDropout = false,
      dropoutRatio = 0.5,
      useBatchnorm = false,
    } = options;
    this.config = {
      architecture: 'mlp',
      inputSize,
      hiddenSizeList,
      outputSize,
      activation,
      weightInitStd,
      weightDecayLambda,
      useDropout,
      dropoutRatio,
      useBatchnorm,
    };
    this.inputShape = [inputSize];
    this.#weightDecayLambda = weightDecayLambda;
    const init = initRule(weightInitStd);
    const sizes = [inputSize, ...hiddenSizeList, outputSize];
    const add = (name: string, module: Module) => {
      // An own property, so that state names read fc1.weight, bn1.running_mean, … as in PyTorch.
      Object.defineProperty(this, name, { value: module, enumerable: true });
      this.#sequence.push(module);
    };
    for (let i = 1; i < sizes.length; i++) {
      const fc = new Linear(sizes[i - 1]!, sizes[i]!, { init });
      this.#weights.push(fc);
      add(`fc${i}`, fc);
      if (i === sizes.length - 1) break;
      if (useBatchnorm) add(`bn${i}`, new BatchNorm1d(sizes[i]!, bookBatchNorm));
      add(`act${i}`, activation === 'relu' ? new ReLU() : new Sigmoid());
      if (useDropout) add(`dropout${i}`, new Dropout(dropoutRatio, 'book'));
    }
  }

  /** The affine layers fc1 … fcN, in order (the book's Affine1 … AffineN). */
  get affineLayers(): readonly Linear[] {
    return this.#weights;
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x, { flattens: true });
    return this.pipe(
      x,
      (h) => (h.rank > 2 ? h.flatten(1) : h),
      ...this.#sequence.map((layer) => (h: Tensor) => layer.apply(h)),
    );
  }

  override weightDecayPenalty(): Tensor | null {
    if (this.#weightDecayLambda === 0) return null;
    const squares = this.#weights.map((fc) => fc.weight.square().sum());
    return squares.reduce((a, b) => a.add(b)).mul(0.5 * this.#weightDecayLambda);
  }
}

/** The book's MultiLayerNetExtend: MultiLayerNet with dropout and batch normalisation options. */
export class MultiLayerNetExtend extends MultiLayerNet {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static override readonly typeName: string = 'MultiLayerNetExtend';
}
