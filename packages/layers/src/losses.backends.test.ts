import type { Reduction, Tensor } from '@scratchnet/tensor';
import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import {
  halfSumSquaredError,
  mseLoss,
  SoftmaxCrossEntropyLoss,
  softmaxCrossEntropy,
} from './losses.js';
import { expectClose, fromEncoded, type LayerCase, loadFixture } from './testing/golden.js';

const { cases } = loadFixture('losses.json');

type Inputs = Record<string, Tensor>;

/** How each fixture loss is computed with scratchnet. */
const losses: Record<string, (inputs: Inputs, c: LayerCase) => Tensor> = {
  softmaxCrossEntropy: ({ logits }, c) => {
    const { reduction } = c.options as { reduction: Reduction };
    const target = c.constants.target ? fromEncoded(c.constants.target) : c.constants.labels!.data;
    return softmaxCrossEntropy(logits!, target, reduction);
  },
  SoftmaxCrossEntropyLoss: ({ logits }, c) =>
    new SoftmaxCrossEntropyLoss((c.options as { reduction: Reduction }).reduction).forward(
      logits!,
      fromEncoded(c.constants.target!),
    ),
  mseLoss: ({ y, t }, c) => mseLoss(y!, t!, (c.options as { reduction: 'mean' | 'sum' }).reduction),
  halfSumSquaredError: ({ y }, c) => halfSumSquaredError(y!, fromEncoded(c.constants.t!)),
};

describeEachBackend('losses against F.cross_entropy and F.mse_loss', () => {
  it('covers labels, one-hot and probability targets, and both mse reductions', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'cross_entropy labels, reduction mean',
      'cross_entropy labels, reduction sum',
      'cross_entropy labels, reduction none',
      'cross_entropy one-hot target, reduction mean',
      'cross_entropy probability target, reduction sum',
      'mse_loss, reduction mean',
      'mse_loss, reduction sum',
      '0.5 * mse_loss sum',
    ]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const inputs = Object.fromEntries(
      Object.entries(c.inputs).map(([key, value]) => [key, fromEncoded(value, true)]),
    );
    const out = losses[c.layer]!(inputs, c);
    expectClose('loss', out, c.output);
    if (c.upstream) out.backward(fromEncoded(c.upstream));
    else out.backward();
    for (const [key, grad] of Object.entries(c.grads)) {
      expectClose(`gradient of ${key}`, inputs[key]!.grad, grad);
    }
  });
});

describeEachBackend('the book’s losses', () => {
  // The book's chapter 4.2 example: the answer is class 2.
  const t = tensor([[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]);
  const good = tensor([[0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0]]);
  const bad = tensor([[0.1, 0.05, 0.1, 0, 0.05, 0.1, 0, 0.6, 0, 0]]);

  it('halfSumSquaredError gives the book’s 0.0975 and 0.5975', () => {
    expect(halfSumSquaredError(good, t).item()).toBeCloseTo(0.0975, 6);
    expect(halfSumSquaredError(bad, t).item()).toBeCloseTo(0.5975, 6);
  });

  it('softmax cross-entropy of log-probabilities gives the book’s 0.5108 and 2.3026', () => {
    // softmax(log p) = p, so this is the book's cross_entropy_error on p.
    expect(softmaxCrossEntropy(good.add(1e-7).log(), [2]).item()).toBeCloseTo(0.510825, 4);
    expect(softmaxCrossEntropy(bad.add(1e-7).log(), [2]).item()).toBeCloseTo(2.302584, 4);
  });

  it('names mismatched shapes', () => {
    expect(() => mseLoss(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      /mseLoss: prediction \[2\] and target \[3\] differ/,
    );
    expect(() => halfSumSquaredError(tensor([[1, 2]]), tensor([1, 2]))).toThrow(
      /halfSumSquaredError/,
    );
  });
});
