import type { Network } from '@scratchnet/layers';
import { noGrad, scope, softmax, tensor } from '@scratchnet/tensor';

/** Class probabilities for one 28×28 input, as the CLI's `predict` computes them. */
export function predictProbabilities(network: Network, pixels: Float32Array): number[] {
  network.eval();
  // One scope: the input, the logits and the probabilities are freed once read.
  return noGrad(() =>
    scope(() =>
      Array.from(softmax(network.forward(tensor(pixels, [1, ...network.inputShape]))).dataSync()),
    ),
  );
}

export function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}
