import { matmul, noGrad, RandomGenerator, scope, type Tensor, tensor } from '@scratchnet/tensor';

/** The initial weights section 6.2 draws histograms for. */
export const WEIGHT_INITS = ['std 1', 'std 0.01', 'Xavier', 'He'] as const;
/** One of {@link WEIGHT_INITS}: the book's names for a weight scale. */
export type WeightInitName = (typeof WEIGHT_INITS)[number];
/** The activation functions section 6.2.2 draws the histograms of (figures 6-10 to 6-14). */
export type HistogramActivation = 'sigmoid' | 'tanh' | 'relu';

/** The standard deviation of `init` for a layer of `fanIn` inputs: Xavier √(1/n), He √(2/n). */
export function weightInitStd(init: WeightInitName, fanIn: number): number {
  switch (init) {
    case 'std 1':
      return 1;
    case 'std 0.01':
      return 0.01;
    case 'Xavier':
      return Math.sqrt(1 / fanIn);
    case 'He':
      return Math.sqrt(2 / fanIn);
  }
}

/** What `activationHistograms` counts: each layer's activations, binned as `np.histogram`. */
export interface ActivationHistograms {
  /** One histogram per layer: counts over `bins` equal bins of [lo, hi]. */
  layers: number[][];
  /** The range's lower edge, the first bin's left. */
  lo: number;
  /** The range's upper edge, the last bin's right (included). */
  hi: number;
  /**
   * Per layer, the values exactly 0 (counted in the first bin too when 0 is in range): ReLU
   * outputs half its values as 0, a spike that a plot scaled to it leaves the other bins flat.
   */
  zeros: number[];
  /** Per layer, the values left out below `lo`. */
  below: number[];
  /** Per layer, the values left out above `hi`. */
  above: number[];
}

/** The sizes, bins and seed of `activationHistograms`; the defaults are the book's. */
export interface ActivationHistogramOptions {
  /** Inputs, each a row of standard normal values; default the book's 1000. */
  samples?: number;
  /** Units per layer (and inputs); default 100. */
  units?: number;
  /** Default 5. */
  layers?: number;
  /** Default 30, as the book's `plt.hist(a.flatten(), 30, range=(0,1))`. */
  bins?: number;
  /** Default the book's (0, 1); (−1, 1) for tanh, whose outputs are symmetric about 0. */
  range?: readonly [number, number];
  /** Seeds the inputs and the weights; default 1. */
  seed?: number;
}

function activate(z: Tensor, activation: HistogramActivation): Tensor {
  return activation === 'sigmoid' ? z.sigmoid() : activation === 'tanh' ? z.tanh() : z.relu();
}

/**
 * The book's `ch06/weight_init_activation_histogram.py` (section 6.2.2, figures 6-10, 6-11,
 * 6-13, 6-14): 1000 random inputs through 5 layers of 100 units (no biases), weights drawn with
 * the given scale, and the histogram of each layer's activations, counted as `np.histogram` does
 * (values outside the range are left out; the last bin includes its right edge). With std 1
 * sigmoid outputs pile up at 0 and 1 (vanishing gradients), with std 0.01 at 0.5 (every unit
 * alike), with Xavier they stay spread; for ReLU He does the same.
 */
export function activationHistograms(
  init: WeightInitName,
  activation: HistogramActivation,
  {
    samples = 1000,
    units = 100,
    layers = 5,
    bins = 30,
    range = activation === 'tanh' ? [-1, 1] : [0, 1],
    seed = 1,
  }: ActivationHistogramOptions = {},
): ActivationHistograms {
  const random = new RandomGenerator(seed);
  const normals = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => random.normal() * scale);
  const [lo, hi] = range;
  const std = weightInitStd(init, units);
  const out: number[][] = [];
  const zeros: number[] = [];
  const below: number[] = [];
  const above: number[] = [];
  noGrad(() =>
    scope(() => {
      let x = tensor(normals(samples * units, 1), [samples, units]);
      for (let l = 0; l < layers; l++) {
        const w = tensor(normals(units * units, std), [units, units]);
        x = activate(matmul(x, w), activation);
        const counts = new Array<number>(bins).fill(0);
        let zero = 0;
        let under = 0;
        let over = 0;
        for (const v of x.dataSync()) {
          if (v === 0) zero++;
          if (v < lo) under++;
          else if (v > hi) over++;
          else counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
        }
        out.push(counts);
        zeros.push(zero);
        below.push(under);
        above.push(over);
      }
    }),
  );
  return { layers: out, lo, hi, zeros, below, above };
}
