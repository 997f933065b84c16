import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { Linear } from './linear.js';
import { checkLayerCase, loadFixture } from './testing/golden.js';

const { cases } = loadFixture('linear.json');

describeEachBackend('Linear against nn.Linear', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { inFeatures, outFeatures, bias } = c.options as {
      inFeatures: number;
      outFeatures: number;
      bias: boolean;
    };
    // The fixture's weights (PyTorch's [out, in] layout) go in through loadStateDict.
    checkLayerCase(c, new Linear(inFeatures, outFeatures, { bias }));
  });
});

describeEachBackend('Linear', () => {
  it('stores the weight as [out, in], the transpose of the book’s Affine W', () => {
    const fc = new Linear(3, 2);
    expect(fc.weight.shape).toEqual([2, 3]);
    expect(fc.bias!.shape).toEqual([2]);
    fc.weight.assign(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    fc.bias!.assign(tensor([10, 20]));
    expect(fc.forward(tensor([[1, 0, -1]])).toArray()).toEqual([[8, 18]]);
  });

  it('has no bias parameter with bias: false', () => {
    const fc = new Linear(3, 2, { bias: false });
    expect(fc.bias).toBeNull();
    expect(fc.namedParameters().map(([name]) => name)).toEqual(['weight']);
  });

  it('rejects an input of the wrong width', () => {
    expect(() => new Linear(3, 2).forward(tensor([[1, 2]]))).toThrow(
      'Linear: input [1, 2] has 2 features; this layer (3 → 2) expects [batch ≥ 1, 3]',
    );
  });
});
