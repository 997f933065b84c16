import { expect, it } from 'vitest';
import { getBackend } from '../backend.js';
import { tensor } from '../creation.js';
import { describeEachBackend } from '../testing/index.js';
import { adamStep } from './fused.js';

/** Adam's update worked out in float64 from the formulas of `adamStep`'s doc. */
function expected(p: number, g: number, m: number, v: number) {
  const [beta1, beta2, lr, eps] = [0.9, 0.999, 0.01, 1e-7];
  const [c1, c2] = [1 - beta1 ** 2, 1 - beta2 ** 2]; // step 2
  const m1 = m * beta1 + g * (1 - beta1);
  const v1 = v * beta2 + g * g * (1 - beta2);
  return { p: p - ((m1 / c1) * lr) / (Math.sqrt(v1 / c2) + eps), m: m1, v: v1 };
}

describeEachBackend('adamStep (fused where the backend has the kernel, composed elsewhere)', () => {
  it('gives the formula’s values and leaves its inputs alone', () => {
    const [p0, g0, m0, v0] = [
      [1, -2, 0.5],
      [0.5, 0.25, -3],
      [0.1, 0, -0.2],
      [0.01, 0, 4],
    ];
    const param = tensor(p0);
    const grad = tensor(g0);
    const m = tensor(m0);
    const v = tensor(v0);
    const out = adamStep(param, grad, m, v, {
      beta1: 0.9,
      beta2: 0.999,
      lr: 0.01,
      eps: 1e-7,
      correction1: 1 - 0.9 ** 2,
      correction2: 1 - 0.999 ** 2,
    });
    for (let i = 0; i < 3; i++) {
      const e = expected(p0[i]!, g0[i]!, m0[i]!, v0[i]!);
      expect(out.param.dataSync()[i]).toBeCloseTo(e.p, 6);
      expect(out.m.dataSync()[i]).toBeCloseTo(e.m, 6);
      expect(out.v.dataSync()[i]).toBeCloseTo(e.v, 6);
    }
    // Worked by hand for the first value: m′ 0.14, v′ 0.01024, 1 − 0.01·(0.14/0.19)/√(0.01024/0.001999).
    expect(out.param.dataSync()[0]).toBeCloseTo(0.9967444, 6);
    expect(Array.from(param.dataSync())).toEqual(p0);
    expect(Array.from(m.dataSync())).toEqual(m0.map(Math.fround));
    for (const t of [out.param, out.m, out.v]) expect(t.backend).toBe(getBackend());
    expect(out.param.requiresGrad).toBe(false);
  });

  it('refuses a disposed input by name', () => {
    const param = tensor([1, 2]);
    const grad = tensor([1, 2]);
    grad.dispose();
    expect(() =>
      adamStep(param, grad, tensor([0, 0]), tensor([0, 0]), {
        beta1: 0.9,
        beta2: 0.999,
        lr: 0.001,
        eps: 1e-7,
        correction1: 0.1,
        correction2: 0.001,
      }),
    ).toThrow(/^adamStep: input 1 \(shape \[2\]\) was disposed/);
  });
});
