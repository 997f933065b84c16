import { expect, it } from 'vitest';
import { ones, tensor } from './creation.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { ShapeError } from './shape.js';
import { describeEachBackend } from './testing/index.js';

const leaf = (values: number[]) => tensor(values, undefined, { requiresGrad: true });

describeEachBackend('backward', () => {
  it('differentiates y = Σ x² (the Tensor doc example)', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      { requiresGrad: true },
    );
    x.mul(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([
      [2, 4],
      [6, 8],
    ]);
  });

  it('adds the gradients of every path to a shared input (a diamond)', () => {
    const x = leaf([2]);
    const a = x.mul(3);
    const b = x.square();
    a.add(b).mul(a).sum().backward(); // (3x + x²)·3x = 9x² + 3x³ → 18x + 9x² = 72 at x = 2
    expect(x.grad?.item()).toBe(72);
  });

  it('accumulates into .grad across calls until it is reset', () => {
    const x = leaf([1, 2]);
    const grad = () => x.grad?.toArray();
    x.mul(2).sum().backward();
    x.mul(2).sum().backward();
    expect(grad()).toEqual([4, 4]);
    x.grad = null; // what an optimizer's zeroGrad does
    x.mul(2).sum().backward();
    expect(grad()).toEqual([2, 2]);
  });

  it('takes the upstream gradient of a non-scalar', () => {
    const x = leaf([1, 2, 3]);
    x.mul(x).backward(tensor([1, 0, -1]));
    expect(x.grad?.toArray()).toEqual([2, 0, -6]);
  });

  it('gives no gradient to inputs that do not require one', () => {
    const x = leaf([1, 2]);
    const c = tensor([5, 6]);
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
    expect(x.grad?.toArray()).toEqual([5, 6]);
  });
});

describeEachBackend('backward errors say what is wrong', () => {
  it('a non-scalar without an upstream gradient', () => {
    const y = leaf([1, 2]).mul(2);
    expect(() => y.backward()).toThrow(ShapeError);
    expect(() => y.backward()).toThrow(
      'backward: the tensor has shape [2]; a non-scalar needs its upstream gradient, as backward(grad)',
    );
  });

  it('an upstream gradient of the wrong shape', () => {
    const y = leaf([1, 2]).mul(2);
    expect(() => y.backward(ones([3]))).toThrow(
      "backward: gradient shape [3] differs from the tensor's [2]",
    );
  });

  it('a tensor that does not require grad', () => {
    expect(() => tensor([1]).sum().backward()).toThrow(
      'backward: this tensor does not require grad (no input had requiresGrad: true)',
    );
  });
});

describeEachBackend('noGrad, detach, requireGrad', () => {
  it('noGrad records nothing and restores the mode, even after a throw', () => {
    const x = leaf([1]);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('detach cuts the graph but keeps the values', () => {
    const x = leaf([3]);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.item()).toBe(6);
    const y = x.mul(d).sum(); // d is a constant: dy/dx = 6
    y.backward();
    expect(x.grad?.item()).toBe(6);
  });

  it('requireGrad works on leaves only', () => {
    const x = tensor([1]).requireGrad();
    expect(x.requiresGrad).toBe(true);
    expect(() => x.mul(2).requireGrad()).toThrow(
      'requireGrad: only leaf tensors can change requiresGrad',
    );
  });
});

describeEachBackend('Tensor basics', () => {
  it('item needs exactly one element', () => {
    expect(tensor([[4]]).item()).toBe(4);
    expect(() => tensor([1, 2]).item()).toThrow('item: the tensor has shape [2], not one element');
  });

  it('toArray nests by shape; dataSync returns a copy', () => {
    const t = tensor([1, 2, 3, 4], [2, 1, 2]);
    expect(t.toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(tensor(5).toArray()).toBe(5);
    const copy = t.dataSync();
    copy[0] = 99;
    expect(t.dataSync()[0]).toBe(1);
  });

  it('assign replaces values in place and checks the shape', () => {
    const p = leaf([1, 2]);
    p.assign(tensor([5, 6]));
    expect(p.toArray()).toEqual([5, 6]);
    expect(p.requiresGrad).toBe(true);
    expect(() => p.assign(tensor([1, 2, 3]))).toThrow('assign: cannot assign [3] to [2]');
  });

  it('toString shows the shape, the flag and small values', () => {
    expect(leaf([1, 2]).toString()).toBe('Tensor([2], requiresGrad) [1,2]');
    expect(ones([100]).toString()).toBe('Tensor([100]) 100 values');
  });
});
