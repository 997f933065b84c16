import { expect, it } from 'vitest';
import { grad } from './autograd.js';
import { getBackend } from './backend.js';
import { ones, tensor } from './creation.js';
import { keep, memory, scope } from './memory.js';
import { conv2d } from './ops/conv.js';
import { softmaxCrossEntropy } from './ops/softmax.js';
import type { Tensor } from './tensor.js';
import { describeEachBackend } from './testing/index.js';

/** Buffers and tensors alive on the active backend now. */
const live = () => {
  const { buffers, tensors } = memory(getBackend());
  return { buffers, tensors };
};

/** How many buffers and tensors `fn` leaves alive. */
function leftBy(fn: () => void): { buffers: number; tensors: number } {
  const before = live();
  fn();
  const after = live();
  return { buffers: after.buffers - before.buffers, tensors: after.tensors - before.tensors };
}

const leaf = (values: number[]) => tensor(values, undefined, { requiresGrad: true });

describeEachBackend('memory', () => {
  it('dispose frees a tensor once; reading it afterwards names the read', () => {
    const left = leftBy(() => {
      const x = tensor([1, 2, 3]);
      x.dispose();
      x.dispose(); // again: nothing
      expect(x.isDisposed).toBe(true);
      expect(() => x.dataSync()).toThrow(/dataSync: this tensor \(shape \[3\]\) was disposed/);
      expect(() => x.mul(2)).toThrow(/mul: input 0 \(shape \[3\]\) was disposed/);
    });
    expect(left).toEqual({ buffers: 0, tensors: 0 });
  });

  it('`using` disposes at the end of the block (Symbol.dispose)', () => {
    let seen: Tensor | null = null;
    const left = leftBy(() => {
      using x = tensor([1, 2]);
      seen = x;
      expect(x.isDisposed).toBe(false);
    });
    expect(seen!.isDisposed).toBe(true);
    expect(left).toEqual({ buffers: 0, tensors: 0 });
  });

  it('a view shares its buffer, which goes with the last tensor on it', () => {
    const x = tensor([1, 2, 3, 4]);
    const before = live().buffers;
    const view = x.reshape([2, 2]);
    const detached = x.detach();
    expect(live().buffers).toBe(before); // no copy
    x.dispose();
    view.dispose();
    expect(live().buffers).toBe(before);
    expect([...detached.dataSync()]).toEqual([1, 2, 3, 4]);
    detached.dispose();
    expect(live().buffers).toBe(before - 1);
  });

  it('an op with nothing to do returns a new handle, so disposing it leaves the input', () => {
    const x = tensor([[1, 2]]);
    for (const same of [x.slice([0, 0]), x.sum([]), x.squeeze(0).unsqueeze(0), x.pad([])]) {
      expect(same).not.toBe(x);
      same.dispose();
    }
    expect(x.toArray()).toEqual([[1, 2]]);
  });

  it('scope frees everything made inside but what it returns (in arrays and objects too)', () => {
    const x = tensor([1, 2, 3]);
    let inner: Tensor[] = [];
    const left = leftBy(() => {
      const { sum, parts } = scope(() => {
        const doubled = x.mul(2);
        const shifted = doubled.add(1);
        inner = [doubled, shifted];
        return { sum: shifted.sum(), parts: [shifted.max()] };
      });
      expect(sum.item()).toBe(15);
      expect(parts[0]!.item()).toBe(7);
      expect(inner.every((t) => t.isDisposed)).toBe(true);
      sum.dispose();
      parts[0]!.dispose();
    });
    expect(left).toEqual({ buffers: 0, tensors: 0 });
    expect(x.isDisposed).toBe(false); // made outside
  });

  it('nested scopes hand what they return to the enclosing one; keep takes a tensor out', () => {
    let kept: Tensor | null = null;
    let passedUp: Tensor | null = null;
    const left = leftBy(() => {
      scope(() => {
        passedUp = scope(() => tensor([1]).add(1));
        expect(passedUp.isDisposed).toBe(false);
        kept = keep(tensor([5]));
      });
    });
    expect(passedUp!.isDisposed).toBe(true); // freed by the outer scope
    expect(kept!.item()).toBe(5);
    expect(left).toEqual({ buffers: 1, tensors: 1 });
    kept!.dispose();
  });

  it('scope frees its tensors when fn throws, and refuses a promise', () => {
    const left = leftBy(() => {
      expect(() =>
        scope(() => {
          tensor([1]).add(2);
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(() => scope(async () => tensor([1]))).toThrow(/synchronous only/);
    });
    expect(left).toEqual({ buffers: 0, tensors: 0 });
  });

  it('backward frees the graph behind the loss; the loss and the gradients stay', () => {
    const w = leaf([1, 2, 3]);
    const x = tensor([[1, 0, 2]]);
    const before = live();
    // As a layer computes: its temporaries go at once (the graph keeps what backward() needs).
    const logits = scope(() => x.mul(w).add(w.square()));
    const loss = softmaxCrossEntropy(logits, [2]);
    logits.dispose(); // the graph still needs it too
    loss.backward();
    // Alive now: the loss and w's gradient.
    expect(live().buffers - before.buffers).toBe(2);
    // logits [2, 4, 15]: −log softmax(·)₂ = log(e² + e⁴ + e¹⁵) − 15
    expect(loss.item()).toBeCloseTo(Math.log(Math.exp(2) + Math.exp(4) + Math.exp(15)) - 15, 7);
    loss.dispose();
    expect(live().buffers - before.buffers).toBe(1);
    w.grad!.dispose();
    w.grad = null;
    expect(live()).toEqual(before);
  });

  it('a second backward through a freed graph names retainGraph; with it, it runs', () => {
    const w = leaf([1, 2]);
    const y = w.square().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/already freed .* pass \{ retainGraph: true \}/);
    const z = w.exp().sum();
    z.backward({ retainGraph: true });
    z.backward();
    expect(w.grad!.dataSync()[1]).toBeCloseTo(4 + 2 * Math.exp(2), 4); // 2w, then 2·eʷ
    expect(() => z.backward()).toThrow(/retainGraph/);
  });

  it('accumulates into .grad in place, as PyTorch: a held gradient sees the sum', () => {
    const w = leaf([1, 2]);
    w.mul(3).sum().backward();
    const held = w.grad!;
    w.mul(2).sum().backward();
    expect(w.grad).toBe(held);
    expect(held.toArray()).toEqual([5, 5]);
  });

  it('createGraph keeps what the second derivative needs, and frees it with its tensors', () => {
    const x = leaf([1, 2]);
    const before = live();
    const y = scope(() => x.pow(3).sum());
    y.backward({ createGraph: true });
    const dx = x.grad!; // 3x², recorded
    x.grad = null;
    const sum = dx.sum();
    sum.backward(); // d/dx Σ 3x² = 6x
    expect(x.grad!.toArray()).toEqual([6, 12]);
    // What is left is freed by disposing the tensors that hold it.
    for (const t of [y, dx, sum, x.grad!]) t.dispose();
    x.grad = null;
    expect(live().buffers).toBe(before.buffers);
  });

  it('grad(f) leaves nothing behind but its result', () => {
    const x = tensor([0.5, 1.5]);
    const left = leftBy(() => {
      const dx = grad((t: Tensor) => t.tanh().sum())(x);
      expect(dx.dataSync()[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 6);
      dx.dispose();
    });
    expect(left).toEqual({ buffers: 0, tensors: 0 });
  });

  it('a training step of a small convnet leaves only the gradients, whatever it composes', () => {
    const w = tensor(
      Array.from({ length: 18 }, (_, i) => (i % 5) / 10 - 0.2),
      [2, 1, 3, 3],
      { requiresGrad: true },
    );
    const b = tensor([0.1, -0.1], undefined, { requiresGrad: true });
    const x = ones([2, 1, 5, 5]);
    const step = () =>
      scope(() => {
        const h = conv2d(x, w, b, { padding: 1, relu: true }).flatten(1);
        const loss = softmaxCrossEntropy(h.narrow(1, 0, 10), [1, 3]);
        loss.backward();
        return loss.item();
      });
    step();
    const after = live();
    for (let i = 0; i < 3; i++) {
      w.grad!.dispose();
      b.grad!.dispose();
      w.grad = null;
      b.grad = null;
      step();
      expect(live()).toEqual(after);
    }
  });
});
