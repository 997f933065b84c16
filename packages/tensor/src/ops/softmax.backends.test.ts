import { expect, it } from 'vitest';
import { randn, tensor } from '../creation.js';
import { manualSeed } from '../random.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import { logSoftmax, oneHot, predictClasses, softmax, softmaxCrossEntropy } from './softmax.js';

describeEachBackend('softmax and logSoftmax', () => {
  it('rows are positive and sum to 1, along any axis', () => {
    manualSeed(3);
    const x = randn([4, 5]).mul(3);
    for (const axis of [-1, 0]) {
      const p = softmax(x, axis);
      expect(p.min().item()).toBeGreaterThan(0);
      for (const total of p.sum(axis).dataSync()) expect(total).toBeCloseTo(1, 6);
    }
  });

  it('gives the book’s values (section 3.5.1: a = [0.3, 2.9, 4.0])', () => {
    const p = softmax(tensor([0.3, 2.9, 4.0])).dataSync();
    [0.01821127, 0.24519181, 0.73659691].forEach((v, i) => {
      expect(p[i]).toBeCloseTo(v, 6);
    });
  });

  it('does not overflow for large logits (the book’s [1010, 1000, 990])', () => {
    const p = softmax(tensor([1010, 1000, 990])).dataSync();
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(0.99995458, 6);
    expect(logSoftmax(tensor([1010, 1000, 990])).dataSync()[2]).toBeCloseTo(-20.0000454, 4);
  });

  it('logSoftmax equals log(softmax)', () => {
    manualSeed(4);
    const x = randn([3, 4]);
    const a = logSoftmax(x).dataSync();
    const b = softmax(x).log().dataSync();
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 5);
    });
  });
});

describeEachBackend('softmaxCrossEntropy', () => {
  it('softmaxCrossEntropy([[2, 0, 0]], [0]) ≈ 0.2395 = log(1 + 2e⁻²)', () => {
    const loss = softmaxCrossEntropy(tensor([[2, 0, 0]]), [0]).item();
    expect(loss).toBeCloseTo(0.2395, 4);
    expect(loss).toBeCloseTo(Math.log(1 + 2 * Math.exp(-2)), 6);
  });

  it('accepts labels as an array, a tensor, or one-hot / soft targets, with the same loss', () => {
    const logits = tensor([
      [1, 2, 3],
      [1, -1, 0],
    ]);
    const fromArray = softmaxCrossEntropy(logits, [2, 0]).item();
    expect(softmaxCrossEntropy(logits, tensor([2, 0])).item()).toBe(fromArray);
    expect(softmaxCrossEntropy(logits, oneHot([2, 0], 3)).item()).toBeCloseTo(fromArray, 6);
    const soft = softmaxCrossEntropy(
      logits,
      tensor([
        [0, 0.5, 0.5],
        [1, 0, 0],
      ]),
    ).item();
    expect(soft).toBeGreaterThan(fromArray);
  });

  it('reduces by mean (default), sum, or not at all', () => {
    const logits = tensor([
      [2, 0, 0],
      [0, 0, 0],
    ]);
    const none = softmaxCrossEntropy(logits, [0, 1], 'none').dataSync();
    expect(none[0]).toBeCloseTo(0.2395, 4);
    expect(none[1]).toBeCloseTo(Math.log(3), 6);
    expect(softmaxCrossEntropy(logits, [0, 1], 'sum').item()).toBeCloseTo(none[0]! + none[1]!, 6);
    expect(softmaxCrossEntropy(logits, [0, 1]).item()).toBeCloseTo((none[0]! + none[1]!) / 2, 6);
  });

  it('has the book’s gradient (softmax − target) / N', () => {
    const logits = tensor(
      [
        [2, 0, 0],
        [0, 1, 0],
      ],
      undefined,
      { requiresGrad: true },
    );
    softmaxCrossEntropy(logits, [0, 2]).backward();
    const p = softmax(logits.detach()).dataSync();
    const target = [1, 0, 0, 0, 0, 1];
    const grad = logits.grad!.dataSync();
    grad.forEach((g, i) => {
      expect(g).toBeCloseTo((p[i]! - target[i]!) / 2, 6);
    });
  });

  it('names the problem in its errors', () => {
    expect(() => softmaxCrossEntropy(tensor([1, 2]), [0])).toThrow(
      'softmaxCrossEntropy: logits must be [batch, classes], got [2]',
    );
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), [0, 1])).toThrow(
      'softmaxCrossEntropy: 2 labels for a batch of 1',
    );
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), tensor([[1, 0, 0]]))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), [2])).toThrow(
      'oneHot: label 2 at index 0 is not a class index in [0, 2)',
    );
  });
});

describeEachBackend('oneHot and predictClasses', () => {
  it('oneHot makes [N, classes] rows', () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(oneHot(tensor([1]), 2).toArray()).toEqual([[0, 1]]);
    expect(() => oneHot([1.5], 3)).toThrow(RangeError);
  });

  it('predictClasses is the row-wise argmax as integers', () => {
    const classes = predictClasses(
      tensor([
        [0.1, 0.7, 0.2],
        [0.9, 0.05, 0.05],
      ]),
    );
    expect(classes).toBeInstanceOf(Int32Array);
    expect(Array.from(classes)).toEqual([1, 0]);
  });
});
