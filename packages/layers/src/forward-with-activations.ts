import type { Tensor } from '@scratchnet/tensor';
import type { Module } from './module.js';

/**
 * Runs `module.apply(x)` and calls `visit` with every named leaf layer's output, in the order they
 * run (a feature-map view draws them), through forward hooks that are removed afterwards, also
 * when the pass or `visit` throws. Gradient recording and the training mode are the caller's:
 * wrap it in `noGrad` and call `eval()` first to look at a trained model. Each output is valid
 * while `visit` runs and is freed with the pass (only the returned one is the caller's): read its
 * values there (`dataSync()`), or `keep()` it and dispose it later.
 *
 * @example
 * const maps: Record<string, number[]> = {};
 * forwardWithActivations(net, x, (name, _layer, output) => {
 *   maps[name] = [...output.shape];
 * });
 * // maps: { conv1: [1, 30, 24, 24], relu1: […], pool1: [1, 30, 12, 12], fc1: [1, 100], … }
 */
export function forwardWithActivations(
  module: Module,
  x: Tensor,
  visit: (name: string, layer: Module, output: Tensor) => void,
): Tensor {
  const handles = module
    .namedModules()
    .filter(([name, m]) => name !== '' && m.namedChildren().length === 0)
    .map(([name, layer]) =>
      layer.registerForwardHook((_layer, _input, out) => visit(name, layer, out)),
    );
  try {
    return module.apply(x);
  } finally {
    for (const handle of handles) handle.remove();
  }
}
