import { zeros } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from './dataset.js';
import { randomSplit, trainValidationSplit } from './split.js';
import { flattenSamples, normalizePixels, oneHotLabels } from './transforms.js';

/** Three 2×2 "images" whose pixels are 10·i + j, and labels 2, 0, 1. */
function tinyImages(transforms = {}): ArrayDataset {
  const features = Uint8Array.from({ length: 12 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4));
  return new ArrayDataset({
    features,
    labels: Uint8Array.of(2, 0, 1),
    sampleShape: [1, 2, 2],
    transforms,
    name: 'tiny',
  });
}

describe('ArrayDataset', () => {
  it('gives samples as they are by default: raw values, in their shape, class indices', () => {
    const dataset = tinyImages();
    expect(dataset.length).toBe(3);
    expect(dataset.numClasses).toBe(3);
    expect(dataset.outputShape).toEqual([1, 2, 2]);
    const { x, y, labels } = dataset.batch([1, 2]);
    expect(x.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(x.dataSync())).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
    expect(y.toArray()).toEqual([0, 1]);
    expect(Array.from(labels)).toEqual([0, 1]);
  });

  it('gives float features exactly as given (no division by 255)', () => {
    const dataset = new ArrayDataset({
      features: Float32Array.of(0.5, 1, 0.25, 0.75),
      labels: Uint8Array.of(0, 1),
      sampleShape: [1, 1, 2],
    });
    const { x } = dataset.batch([0, 1]);
    expect(x.shape).toEqual([2, 1, 1, 2]);
    expect(x.toArray()).toEqual([[[[0.5, 1]]], [[[0.25, 0.75]]]]);
  });

  it("applies the book's load_mnist flags when asked: normalize, flatten", () => {
    const dataset = tinyImages({ normalize: true, flatten: true });
    expect(dataset.outputShape).toEqual([4]);
    const { x } = dataset.batch([1, 2]);
    expect(x.shape).toEqual([2, 4]);
    expect(Array.from(x.dataSync())).toEqual(
      [10, 11, 12, 13, 20, 21, 22, 23].map((v) => Math.fround(v / 255)),
    );
  });

  it('refuses a NaN or infinite input, naming the sample and the position', () => {
    const features = Float32Array.of(0, 1, 2, 3, 4, Number.NaN, 6, 7, 8, 9, 10, Infinity);
    const dataset = new ArrayDataset({
      features,
      labels: Uint8Array.of(0, 1, 0),
      sampleShape: [2, 2],
      name: 'sensors',
    });
    expect(() => dataset.batch([0, 1])).toThrow(
      'sensors: sample 1 holds NaN at position 1 of its 4 features (shape [2,2]): inputs must be finite numbers',
    );
    expect(() => dataset.subset([2]).batch([0])).toThrow(/sample 0 holds Infinity at position 3/);
    expect(dataset.batch([0]).x.shape).toEqual([1, 2, 2]);
  });

  it('keeps image shape, raw values and one-hot labels when asked', () => {
    const dataset = tinyImages({ normalize: false, flatten: false, oneHotLabel: true });
    const { x, y } = dataset.all();
    expect(x.shape).toEqual([3, 1, 2, 2]);
    expect(Array.from(x.dataSync()).slice(4, 8)).toEqual([10, 11, 12, 13]);
    expect(y.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('makes subsets and transform variants that share the arrays', () => {
    const dataset = tinyImages({ normalize: true, flatten: true });
    const subset = dataset.subset([2, 0]);
    expect(subset.features).toBe(dataset.features);
    expect(subset.length).toBe(2);
    expect(subset.labelAt(0)).toBe(1);
    const nested = subset.subset([1]);
    expect(nested.labelAt(0)).toBe(2);
    expect(Array.from(nested.indices!)).toEqual([0]);
    const unflat = subset.withTransforms({ flatten: false });
    expect(unflat.length).toBe(2);
    expect(unflat.batch([0]).x.shape).toEqual([1, 1, 2, 2]);
    expect(unflat.transforms.normalize).toBe(true);
  });

  it('names itself in errors', () => {
    expect(() => tinyImages().batch([3])).toThrow('tiny: index 3 is out of range [0, 3)');
    expect(
      () =>
        new ArrayDataset({
          features: new Uint8Array(5),
          labels: new Uint8Array(2),
          sampleShape: [2],
          name: 'bad',
        }),
    ).toThrow('bad: 2 labels need 4 feature values of shape [2], found 5');
    expect(
      () =>
        new ArrayDataset({
          features: new Uint8Array(2),
          labels: Uint8Array.of(0, 4),
          sampleShape: [1],
          numClasses: 3,
        }),
    ).toThrow(/label 4 is not a class index in \[0, 3\)/);
  });
});

describe('randomSplit / trainValidationSplit', () => {
  const numbers = () =>
    new ArrayDataset({
      features: Float32Array.from({ length: 10 }, (_, i) => i),
      labels: new Uint8Array(10),
      sampleShape: [1],
      transforms: { normalize: false },
    });

  it('partitions the samples, reproducibly by seed', () => {
    const [a, b] = randomSplit(numbers(), [7, 3], { seed: 5 });
    const values = (d: ArrayDataset) => Array.from(d.all().x.dataSync());
    expect(a!.length).toBe(7);
    expect(b!.length).toBe(3);
    expect([...values(a!), ...values(b!)].sort((x, y) => x - y)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const [again] = randomSplit(numbers(), [7, 3], { seed: 5 });
    expect(values(again!)).toEqual(values(a!));
    const [other] = randomSplit(numbers(), [7, 3], { seed: 6 });
    expect(values(other!)).not.toEqual(values(a!));
  });

  it('accepts fractions, handing out the remainder', () => {
    // 10 · [0.5, 0.25, 0.25] floors to [5, 2, 2]; the one left over goes to the first part.
    expect(randomSplit(numbers(), [0.5, 0.25, 0.25]).map((d) => d.length)).toEqual([6, 2, 2]);
    expect(randomSplit(numbers(), [0.8, 0.2]).map((d) => d.length)).toEqual([8, 2]);
    expect(() => randomSplit(numbers(), [4, 4])).toThrow(/neither add up/);
  });

  it('holds out a validation share', () => {
    const { train, validation } = trainValidationSplit(numbers(), {
      validationFraction: 0.3,
      seed: 1,
    });
    expect([train.length, validation.length]).toEqual([7, 3]);
    expect(trainValidationSplit(numbers(), { validationSize: 1 }).validation.length).toBe(1);
  });
});

describe('transforms', () => {
  it('normalizes pixels as float32 x / 255', () => {
    expect(Array.from(normalizePixels(Uint8Array.of(0, 51, 255)))).toEqual([
      0,
      Math.fround(0.2),
      1,
    ]);
  });

  it('flattens samples and one-hot encodes labels', () => {
    expect(flattenSamples(zeros([2, 1, 28, 28])).shape).toEqual([2, 784]);
    expect(oneHotLabels(Uint8Array.of(2, 0), 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });
});
