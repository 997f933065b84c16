import type { Tensor } from '@scratchnet/tensor';
import { Module } from './module.js';

/**
 * Layers applied one after another; children are named "0", "1", … as in PyTorch.
 *
 * @example
 * const net = new Sequential(new Linear(784, 50), new ReLU(), new Linear(50, 10));
 * net.forward(x).shape; // [batch, 10]
 * // Its layers run through `apply`, so a hook on one sees its input and output.
 */
export class Sequential extends Module {
  /** The name `summary()` and errors show, kept by minifiers (see {@link Module.typeName}). */
  static readonly typeName: string = 'Sequential';
  /** The layers, in the order they run. */
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((layer, i) => [String(i), layer]);
  }

  forward(x: Tensor): Tensor {
    this.nameLayers();
    return this.pipe(x, ...this.layers.map((layer) => (h: Tensor) => layer.apply(h)));
  }
}
