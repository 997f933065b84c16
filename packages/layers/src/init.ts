import {
  defaultGenerator,
  type RandomGenerator,
  rand,
  randn,
  scope,
  type Tensor,
  zeros,
} from '@scratchnet/tensor';

/**
 * How a layer's weights start. The book (chapter 6.2) compares a fixed standard deviation
 * (`weight_init_std`, e.g. 0.01), Xavier (std √(1/n)) for sigmoid and tanh, and He (std √(2/n))
 * for ReLU, where n is the number of inputs to each unit (the fan-in). `'pytorch'` is PyTorch's
 * default for Linear and Conv2d: uniform in ±1/√n for weights and biases.
 */
export type Init =
  | 'he'
  | 'xavier'
  | 'pytorch'
  | 'zeros'
  | {
      /** A fixed standard deviation for normal values: the book's `weight_init_std`. */
      std: number;
    };

/** Where initial weights come from. */
export interface InitOptions {
  /** The generator to draw from (the default one, seeded by `manualSeed`, when omitted). */
  generator?: RandomGenerator;
}

/**
 * Draws a weight tensor of `shape` with fan-in `fanIn` by the rule `init`.
 *
 * @param options - The generator to draw from.
 */
export function initWeight(
  shape: readonly number[],
  fanIn: number,
  init: Init,
  { generator = defaultGenerator }: InitOptions = {},
): Tensor {
  if (init === 'zeros') return zeros(shape);
  if (init === 'pytorch') return uniform(shape, 1 / Math.sqrt(fanIn), generator);
  const std =
    init === 'he' ? Math.sqrt(2 / fanIn) : init === 'xavier' ? Math.sqrt(1 / fanIn) : init.std;
  return scope(() => randn(shape, { generator }).mul(std));
}

/**
 * Biases: zeros in the book; uniform ±1/√fan-in under PyTorch's default.
 *
 * @param options - The generator to draw from.
 */
export function initBias(
  size: number,
  fanIn: number,
  init: Init,
  { generator = defaultGenerator }: InitOptions = {},
): Tensor {
  return init === 'pytorch' ? uniform([size], 1 / Math.sqrt(fanIn), generator) : zeros([size]);
}

function uniform(shape: readonly number[], bound: number, generator: RandomGenerator): Tensor {
  return scope(() =>
    rand(shape, { generator })
      .mul(2 * bound)
      .sub(bound),
  );
}

/** He initialisation (std √(2/fanIn)), for layers followed by ReLU. */
export const heNormal = (shape: readonly number[], fanIn: number, options?: InitOptions): Tensor =>
  initWeight(shape, fanIn, 'he', options);
/** Xavier initialisation as the book writes it (std √(1/fanIn)), for sigmoid and tanh. */
export const xavierNormal = (
  shape: readonly number[],
  fanIn: number,
  options?: InitOptions,
): Tensor => initWeight(shape, fanIn, 'xavier', options);
/** A fixed standard deviation, the book's `weight_init_std`. */
export const normalInit = (shape: readonly number[], std: number, options?: InitOptions): Tensor =>
  initWeight(shape, 1, { std }, options);
