import type { Module } from '@scratchnet/layers';
import {
  formatShape,
  noGrad,
  ShapeError,
  scope,
  softmax,
  Tensor,
  tensor,
} from '@scratchnet/tensor';

/** What `predict` says of one sample. */
export interface Prediction {
  /** The softmax probability of each class. */
  probabilities: Float32Array;
  /** The most probable class (the first of a tie). */
  class: number;
}

/** A model `predict` can run: a module that knows the shape of one sample (every `Network`). */
export type PredictModel = Module & {
  /** The shape of one sample, without the batch axis, e.g. [1, 28, 28]. */
  readonly inputShape: readonly number[];
};

/** What `predict` takes: one sample or a batch, as a tensor, a typed array or nested arrays. */
export type PredictInput = Tensor | Float32Array | ArrayLike<number>;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The input as a batch [N, ...inputShape], and whether it was one sample: a tensor of the sample's
 * shape or of its size (784 values for a 28×28 image), or a batch of them with a leading axis; an
 * array of the sample's size, or of k times it.
 */
function asBatch(model: PredictModel, input: PredictInput): { x: Tensor; single: boolean } {
  const sample = model.inputShape;
  const size = sizeOf(sample);
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((d, i) => d === b[i]);
  let count: number | null = null;
  let single = false;
  if (input instanceof Tensor) {
    const shape = input.shape;
    if (same(shape, sample) || (input.size === size && shape.length < 2)) single = true;
    else if (shape.length >= 2 && sizeOf(shape.slice(1)) === size) count = shape[0]!;
    if (single) count = 1;
  } else if (input.length > 0 && input.length % size === 0) {
    count = input.length / size;
    single = count === 1;
  }
  if (count === null || count < 1) {
    const shape = input instanceof Tensor ? input.shape : [input.length];
    throw new ShapeError(
      `predict: input ${formatShape(shape)} is neither one sample of ${model.typeName}'s input ${formatShape(sample)} nor a batch of them ([N, ${sample.join(', ')}])`,
    );
  }
  const values = input instanceof Tensor ? input : tensor(Float32Array.from(input));
  return { x: values.reshape([count, ...sample]), single };
}

/** The probabilities of a batch: run in evaluation mode, without gradients, mode restored. */
function probabilitiesOf(
  model: PredictModel,
  input: PredictInput,
): { probabilities: Tensor; single: boolean } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() =>
      scope(() => {
        const { x, single } = asBatch(model, input);
        const logits = model.apply(x);
        if (logits.rank !== 2) {
          throw new ShapeError(
            `predict: ${model.typeName} gave outputs ${formatShape(logits.shape)}, not [batch, classes]`,
          );
        }
        return { probabilities: softmax(logits, 1), single };
      }),
    );
  } finally {
    model.train(wasTraining);
  }
}

function predictions(values: Float32Array, classes: number): Prediction[] {
  const out: Prediction[] = [];
  for (let start = 0; start < values.length; start += classes) {
    const probabilities = values.slice(start, start + classes);
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    out.push({ probabilities, class: best });
  }
  return out;
}

/**
 * The class probabilities and the predicted class of one sample (an image [C, H, W], or a flat
 * vector for an MLP), or of each sample of a batch: the model runs in evaluation mode (dropout
 * off, batch norm on its running statistics) without gradients, and its mode is restored. TF.js's
 * `model.predict` with the softmax and the argmax done. Reads synchronously: `predictAsync` on a
 * backend whose reads are asynchronous only.
 *
 * @example
 * const one = predict(net, image); // image: [1, 28, 28] (or 784 values)
 * if (!Array.isArray(one)) console.log(one.class, one.probabilities[one.class]);
 * const all = predict(net, batch); // batch: [N, 1, 28, 28] → an array of N predictions
 */
export function predict(model: PredictModel, input: PredictInput): Prediction | Prediction[] {
  const { probabilities, single } = probabilitiesOf(model, input);
  try {
    const out = predictions(probabilities.dataSync(), probabilities.shape[1]!);
    return single ? out[0]! : out;
  } finally {
    probabilities.dispose();
  }
}

/**
 * `predict`, reading the probabilities back asynchronously: for backends whose reads are
 * asynchronous only, and for loops that must not block.
 *
 * @example
 * const { class: digit } = (await predictAsync(net, image)) as Prediction;
 */
export async function predictAsync(
  model: PredictModel,
  input: PredictInput,
): Promise<Prediction | Prediction[]> {
  const { probabilities, single } = probabilitiesOf(model, input);
  try {
    const out = predictions(await probabilities.dataAsync(), probabilities.shape[1]!);
    return single ? out[0]! : out;
  } finally {
    probabilities.dispose();
  }
}
