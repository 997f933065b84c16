/**
 * `ch04/gradient_simplenet.py` (section 4.4.2): the gradient of a loss with respect to the
 * weights. simpleNet is one 2×3 weight matrix W: z = x·W, loss = cross-entropy of softmax(z)
 * against t. dW[i][j] says how the loss changes when W[i][j] is nudged.
 *
 * The book draws W at random (`np.random.randn(2, 3)`); here W is the one its text prints, so
 * every number below can be checked against the book's page:
 * p = [1.05414809 0.63071653 1.1328074], loss 0.92806853663411326,
 * dW = [[ 0.21924763  0.14356247 -0.36281009] [ 0.32887144  0.2153437  -0.54421514]].
 */
import { numericalGradientOf } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { ndarrayToString, pyFloat } from '../context.js';

/** The book's `softmax`, less the largest value first so that exp cannot overflow. */
function softmax(a: readonly number[]): number[] {
  const c = Math.max(...a);
  const expA = a.map((v) => Math.exp(v - c));
  const sum = expA.reduce((s, v) => s + v);
  return expA.map((v) => v / sum);
}

/** The book's `cross_entropy_error` for one one-hot label: −log(y[label] + 1e-7). */
function crossEntropyError(y: readonly number[], t: readonly number[]): number {
  return -Math.log(y[t.indexOf(1)]! + 1e-7);
}

class SimpleNet {
  /** 2×3, row-major: W[i][j] is W[i * 3 + j]. */
  W = Float64Array.from([0.47355232, 0.9977393, 0.84668094, 0.85557411, 0.03563661, 0.69422093]);

  predict(x: readonly number[], W: ArrayLike<number> = this.W): number[] {
    return [0, 1, 2].map((j) => x[0]! * W[j]! + x[1]! * W[3 + j]!);
  }

  loss(x: readonly number[], t: readonly number[], W: ArrayLike<number> = this.W): number {
    const z = this.predict(x, W);
    const y = softmax(z);
    return crossEntropyError(y, t);
  }
}

const rows = (w: ArrayLike<number>) => [Array.from(w).slice(0, 3), Array.from(w).slice(3, 6)];

export function run(ctx: BookContext): void {
  const net = new SimpleNet();
  ctx.print(ndarrayToString(rows(net.W))); // print(net.W)
  const x = [0.6, 0.9];
  const p = net.predict(x);
  ctx.print(ndarrayToString(p)); // print(p)
  ctx.print(p.indexOf(Math.max(...p))); // np.argmax(p): 2
  const t = [0, 0, 1];
  ctx.print(pyFloat(net.loss(x, t))); // net.loss(x, t)

  // f(W) = net.loss(x, t) as a function of the weights, differentiated numerically (h = 1e-4).
  const f = (W: Float64Array) => net.loss(x, t, W);
  const dW = numericalGradientOf(f, net.W);
  ctx.print(ndarrayToString(rows(dW))); // print(dW)
}
