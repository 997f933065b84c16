import { numericalGradient, type Tensor } from '@scratchnet/tensor';
import { ReLU, Sigmoid } from '../activations.js';
import { Linear } from '../linear.js';
import type { LayerSpec } from './layer-specs.js';
import { multiLayerNetSpecs } from './multi-layer-net.js';
import { Network } from './network.js';

/** Options of `TwoLayerNet`: the book's constructor arguments. */
export interface TwoLayerNetOptions {
  /** The book's `input_size`; 784 (MNIST) as its training scripts, if not given. */
  inputSize?: number;
  /** The book's `hidden_size`; 50 as its training scripts, if not given. */
  hiddenSize?: number;
  /** The book's `output_size`; 10 as its training scripts, if not given. */
  outputSize?: number;
  /** The book's `weight_init_std` (0.01): weights are N(0, 1)·weightInitStd, biases zero. */
  weightInitStd?: number;
  /** 'sigmoid' as `ch04/two_layer_net.py` (the default), 'relu' as `ch05/two_layer_net.py`. */
  activation?: 'sigmoid' | 'relu';
}

/** A gradient for each parameter, keyed by its state name (`fc1.weight`, `fc1.bias`, …). */
export type ParameterGradients = Record<string, Tensor>;

/**
 * TwoLayerNet as layer specs, with its layer names: the same as a MultiLayerNet with one hidden
 * layer, so `networkStateShapes` sizes it as that.
 */
export function twoLayerNetSpecs({
  hiddenSize = 50,
  outputSize = 10,
  weightInitStd = 0.01,
  activation = 'sigmoid',
}: TwoLayerNetOptions = {}): LayerSpec[] {
  return multiLayerNetSpecs({
    hiddenSizeList: [hiddenSize],
    outputSize,
    activation,
    weightInitStd,
  });
}

/**
 * The book's TwoLayerNet (`ch04/two_layer_net.py`, section 4.5.1, and `ch05/two_layer_net.py`,
 * section 5.7.2): affine → activation → affine, trained with the softmax cross-entropy. Chapter 4
 * uses sigmoid and finds the gradients numerically (`numericalGradient`, slow); chapter 5 uses
 * ReLU (`activation: 'relu'`) and finds them by backpropagation (`gradient`), and its
 * `gradient_check.py` compares the two.
 *
 * The book's `params` dict maps to the layers as MultiLayerNet's: `W1` is `fc1.weight`
 * transposed (the book's W is (in, out), `Linear.weight` [out, in]), `b1` is `fc1.bias`, `W2` is
 * `fc2.weight` transposed, `b2` is `fc2.bias`. `predict` returns the logits, as chapter 5's
 * (chapter 4's applies the softmax too, which changes neither the loss nor the argmax).
 *
 * @example
 * const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10 });
 * const grads = net.gradient(xBatch, tBatch); // { 'fc1.weight': [50, 784], 'fc1.bias': [50], … }
 * noGrad(() => {
 *   for (const [name, p] of net.namedParameters()) p.assign(p.sub(grads[name]!.mul(0.1)));
 * });
 */
export class TwoLayerNet extends Network {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'TwoLayerNet';
  /** Its options, defaults filled in, as plain JSON: what its model file stores. */
  readonly config: {
    /** `'two-layer-net'`. */
    architecture: string;
    /** Values per input sample. */
    inputSize: number;
    /** Units of the hidden layer. */
    hiddenSize: number;
    /** Classes. */
    outputSize: number;
    /** The weights' initial std. */
    weightInitStd: number;
    /** The activation between the affine layers. */
    activation: 'relu' | 'sigmoid';
  };
  readonly inputShape: readonly number[];
  /** The first affine layer (the book's Affine1, W1 and b1). */
  readonly fc1: Linear;
  /** The activation between them: sigmoid (chapter 4) or ReLU (chapter 5). */
  readonly act1: Sigmoid | ReLU;
  /** The second affine layer (the book's Affine2, W2 and b2). */
  readonly fc2: Linear;

  constructor(options: TwoLayerNetOptions = {}) {
    super();
    const {
      inputSize = 784,
      hiddenSize = 50,
      outputSize = 10,
      weightInitStd = 0.01,
      activation = 'sigmoid',
    } = options;
    this.config = {
      architecture: 'two-layer-net',
      inputSize,
      hiddenSize,
      outputSize,
      weightInitStd,
      activation,
    };
    this.inputShape = [inputSize];
    const init = { std: weightInitStd };
    this.fc1 = new Linear(inputSize, hiddenSize, { init });
    this.act1 = activation === 'relu' ? new ReLU() : new Sigmoid();
    this.fc2 = new Linear(hiddenSize, outputSize, { init });
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x, { flattens: true });
    return this.pipe(
      x,
      (h) => (h.rank > 2 ? h.flatten(1) : h),
      (h) => this.fc1.apply(h),
      (h) => this.act1.apply(h),
      (h) => this.fc2.apply(h),
    );
  }

  /** The book's `predict(x)`: the logits, before the softmax. */
  predict(x: Tensor): Tensor {
    return this.apply(x);
  }

  /**
   * The book's `numerical_gradient(x, t)` (section 4.5.1): the central difference of the loss for
   * every parameter value in turn, two forward passes each (about 80,000 for 784-50-10: tens of
   * seconds, the slowness chapter 5 removes). The parameters are left as they were.
   *
   * `h` is 1e-2, not the book's 1e-4: the book computes in float64, but here the loss is float32,
   * known to ~1e-7, and that error divided by 2h swamps small gradients. On 784-50-10 with three
   * MNIST images, h = 1e-4 is off by 1e-4…6e-4 on average (as large as fc1's gradients), h = 1e-2
   * by 2e-6…6e-6 with sigmoid (gradCheck's float32 step is 1e-2 for the same reason).
   *
   * @param options - `h`, the difference step (default 1e-2).
   */
  numericalGradient(
    x: Tensor,
    t: Tensor | ArrayLike<number>,
    { h = 1e-2 }: { h?: number } = {},
  ): ParameterGradients {
    const grads: ParameterGradients = {};
    for (const [name, p] of this.namedParameters()) {
      const original = p.detach();
      try {
        grads[name] = numericalGradient(
          (perturbed) => {
            p.assign(perturbed);
            return this.loss(x, t).item();
          },
          original,
          h,
        );
      } finally {
        p.assign(original);
      }
    }
    return grads;
  }

  /**
   * The book's `gradient(x, t)` (section 5.7.2) by backpropagation: autograd through the loss.
   * Each parameter's `.grad` is replaced by this batch's gradient (earlier gradients are dropped),
   * so an optimizer's `step()` may follow; the same tensors are returned by name.
   */
  gradient(x: Tensor, t: Tensor | ArrayLike<number>): ParameterGradients {
    this.zeroGrad();
    this.loss(x, t).backward();
    return Object.fromEntries(
      this.namedParameters().map(([name, p]) => {
        if (!p.grad) throw new Error(`TwoLayerNet.gradient: ${name} received no gradient`);
        return [name, p.grad];
      }),
    );
  }
}
