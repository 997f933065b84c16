import { createOptimizer, type OptimizerName } from '@scratchnet/optimizers';
import { matmul, noGrad, RandomGenerator, tensor } from '@scratchnet/tensor';

/** The book's f(x, y) = x²/20 + y² (chapter 6.1.2): steep in y, nearly flat in x. */
export function bowl(x: number, y: number): number {
  return (x * x) / 20 + y * y;
}

export const RACE_OPTIMIZERS = ['SGD', 'Momentum', 'AdaGrad', 'Adam'] as const;
export type RaceOptimizer = (typeof RACE_OPTIMIZERS)[number];

/** The book's learning rates for `optimizer_compare_naive.py`. */
export const BOOK_RACE_LR: Record<RaceOptimizer, number> = {
  SGD: 0.95,
  Momentum: 0.1,
  AdaGrad: 1.5,
  Adam: 0.3,
};

export const RACE_START: [number, number] = [-7, 2];

/**
 * The path an optimizer takes on `bowl` from (-7, 2), as the book's chapter 6 figure: the library's
 * own optimizer classes, with the gradient from autograd.
 */
export function racePath(name: RaceOptimizer, lr: number, iterations = 30): [number, number][] {
  const p = tensor([RACE_START[0], RACE_START[1]], [2], { requiresGrad: true });
  const optimizer = createOptimizer(name.toLowerCase() as OptimizerName, [p], { lr });
  const path: [number, number][] = [[RACE_START[0], RACE_START[1]]];
  const scale = tensor([1 / 20, 1], [2]);
  for (let i = 0; i < iterations; i++) {
    optimizer.zeroGrad();
    const f = p.square().mul(scale).sum();
    f.backward();
    optimizer.step();
    const [x, y] = p.dataSync();
    path.push([x!, y!]);
  }
  return path;
}

export const INITS = ['std 1', 'std 0.01', 'Xavier', 'He'] as const;
export type InitName = (typeof INITS)[number];
export type Activation = 'sigmoid' | 'tanh' | 'relu';

export interface ActivationHistograms {
  /** One histogram per layer: counts over `bins` equal bins of [lo, hi]. */
  layers: number[][];
  lo: number;
  hi: number;
}

function applyActivation(values: Float32Array, activation: Activation): Float32Array {
  return values.map((v) =>
    activation === 'sigmoid'
      ? 1 / (1 + Math.exp(-v))
      : activation === 'tanh'
        ? Math.tanh(v)
        : Math.max(0, v),
  );
}

/**
 * The book's `weight_init_activation_histogram.py`: 1000 random inputs through 5 layers of 100
 * units, weights drawn with the given scale, and the histogram of each layer's activations.
 */
export function activationHistograms(
  init: InitName,
  activation: Activation,
  { samples = 1000, units = 100, layers = 5, bins = 30, seed = 1 } = {},
): ActivationHistograms {
  const random = new RandomGenerator(seed);
  const std =
    init === 'std 1'
      ? 1
      : init === 'std 0.01'
        ? 0.01
        : init === 'Xavier'
          ? Math.sqrt(1 / units)
          : Math.sqrt(2 / units);
  const lo = activation === 'tanh' ? -1 : 0;
  const hi = 1;
  let x = tensor(
    Float32Array.from({ length: samples * units }, () => random.normal()),
    [samples, units],
  );
  const out: number[][] = [];
  noGrad(() => {
    for (let l = 0; l < layers; l++) {
      const w = tensor(
        Float32Array.from({ length: units * units }, () => random.normal() * std),
        [units, units],
      );
      const z = matmul(x, w).dataSync() as Float32Array;
      const a = applyActivation(z, activation);
      const counts = new Array<number>(bins).fill(0);
      // As the book's plt.hist(range=(lo, hi)): values outside the range are not counted.
      for (const v of a) {
        if (v < lo || v > hi) continue;
        counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
      }
      out.push(counts);
      x = tensor(a, [samples, units]);
    }
  });
  return { layers: out, lo, hi };
}
