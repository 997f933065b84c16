import {
  formatShape,
  noGrad,
  predictClasses,
  ShapeError,
  scope,
  softmaxCrossEntropy,
  type Tensor,
} from '@scratchnet/tensor';
import { Module } from '../module.js';
import { fuseSteps, type LayerStep } from './conv-relu.js';

/** A network's architecture and hyperparameters, as plain JSON: enough to build it again. */
export interface NetworkConfig {
  /** Which network: `'simple-convnet'`, `'mlp'`, `'sequential'`, …, as `createNetwork` takes it. */
  architecture: string;
  [option: string]: unknown;
}

/**
 * A classifier in the book's style: `forward` (the book's `predict`) gives logits, `loss` adds the
 * softmax cross-entropy and any weight-decay penalty, `accuracy` scores a labelled set.
 */
export abstract class Network extends Module {
  /**
   * The options it was built with, as plain JSON: what its model file stores, and what
   * `createNetwork` builds it again from.
   */
  abstract readonly config: NetworkConfig;

  /** The shape of one input sample, without the batch axis, e.g. [1, 28, 28]. */
  abstract readonly inputShape: readonly number[];

  /**
   * Checks a batch against `inputShape` before the first layer sees it, so that a wrong input (a
   * 3×32×32 image into an MNIST model, an empty batch) is refused with both shapes and the layer
   * that would have failed. With `flattens`, any sample shape of the right size is accepted (the
   * network flattens it). Also names the layers for their own error messages.
   *
   * @param options - `flattens`: accept any sample shape of the right size.
   */
  protected checkInput(x: Tensor, { flattens = false }: { flattens?: boolean } = {}): void {
    this.nameLayers();
    const sample = x.shape.slice(1);
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    const fits =
      x.rank >= 2 &&
      (flattens
        ? size(sample) === size(this.inputShape)
        : sample.length === this.inputShape.length &&
          sample.every((d, i) => d === this.inputShape[i]));
    const empty = fits && x.shape[0] === 0;
    if (fits && !empty) return;
    const first = this.namedModules().find(([name, m]) => name && m.namedChildren().length === 0);
    const layer = first ? `; its first layer is ${first[1].label}` : '';
    throw new ShapeError(
      `${this.typeName}: ${empty ? 'the batch is empty: ' : ''}input ${formatShape(x.shape)} does not fit this network's input [batch ≥ 1, ${this.inputShape.join(', ')}]${layer}`,
    );
  }

  /**
   * `Module.summary` with a batch of one by default: `net.summary()` lists every layer (by its
   * name in the network) with its output shape and parameter count.
   */
  override summary(inputShape: readonly number[] = [1, ...this.inputShape]): string {
    return super.summary(inputShape);
  }

  /**
   * Runs `x` through `steps` in order (layers, or functions such as flatten): each layer through
   * `apply`, each Conv → ReLU pair as one fused op unless a forward hook watches either (the same
   * values either way), each activation freed once the next is computed unless backward() needs
   * it. Every library network's `forward` is this over its layers.
   */
  protected applyLayers(x: Tensor, steps: readonly LayerStep[]): Tensor {
    return this.pipe(x, ...fuseSteps(steps));
  }

  /** ½λΣW² over the weights the network decays; 0 unless it was built with a weight decay. */
  weightDecayPenalty(): Tensor | null {
    return null;
  }

  /** The training loss: softmax cross-entropy of the logits, plus the weight-decay penalty. */
  loss(x: Tensor, labels: Tensor | ArrayLike<number>): Tensor {
    // `apply`, so hooks on the network itself see the pass too.
    const logits = this.apply(x);
    try {
      return this.lossFromLogits(logits, labels);
    } finally {
      this.release(logits); // the graph holds what backward() needs
    }
  }

  /** The training loss for logits already computed (to reuse them, e.g. for the accuracy). */
  lossFromLogits(logits: Tensor, labels: Tensor | ArrayLike<number>): Tensor {
    return scope(() => this.lossWithPenalty(logits, labels));
  }

  private lossWithPenalty(logits: Tensor, labels: Tensor | ArrayLike<number>): Tensor {
    let loss: Tensor;
    try {
      loss = softmaxCrossEntropy(logits, labels);
    } catch (error) {
      // Name the network: "SimpleConvNet.loss: oneHot: label 12 at index 3 is not a class index…"
      if (error instanceof ShapeError || error instanceof RangeError) {
        const Type = error.constructor as new (message: string) => Error;
        throw new Type(`${this.typeName}.loss: ${error.message}`);
      }
      throw error;
    }
    const penalty = this.weightDecayPenalty();
    return penalty ? loss.add(penalty) : loss;
  }

  /**
   * The fraction of `x` classified as `labels` (class indices), in evaluation mode and batches of
   * `batchSize`, as the book's `accuracy(x, t, batch_size=100)`. The mode is restored afterwards.
   */
  accuracy(x: Tensor, labels: ArrayLike<number>, batchSize = 100): number {
    const n = x.shape[0]!;
    const wasTraining = this.training;
    this.eval();
    let correct = 0;
    try {
      noGrad(() => {
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          const predicted = scope(() => predictClasses(this.apply(x.narrow(0, start, size))));
          for (let i = 0; i < size; i++) if (predicted[i] === labels[start + i]) correct++;
        }
      });
    } finally {
      this.train(wasTraining);
    }
    return correct / n;
  }
}
