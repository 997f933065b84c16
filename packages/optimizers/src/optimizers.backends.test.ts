/**
 * scratchnet's optimizers against torch.optim: the same parameters, fed the same gradients for
 * five steps, must follow torch's float64 trajectory. The fixture is written by
 * `scripts/make-layer-fixtures.py` (`pnpm fixtures:layers`).
 */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import type { Optimizer } from './optimizer.js';
import { AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSprop, SGD } from './optimizers.js';

interface Encoded {
  shape: number[];
  data: number[];
}

interface TrajectoryCase {
  optimizer: string;
  options: Record<string, number>;
  torch: string;
  /** The parameters after each step. */
  trajectory: Encoded[][];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/torch-optimizers.json', import.meta.url), 'utf8'),
) as { initial: Encoded[]; grads: Encoded[][]; cases: TrajectoryCase[] };

type OptimizerClass = new (params: Iterable<Tensor>, options?: Record<string, number>) => Optimizer;

const classes: Record<string, OptimizerClass> = {
  SGD,
  Momentum,
  Nesterov,
  AdaGrad,
  RMSprop,
  Adam,
  AdamW,
};

const TOLERANCE = 1e-5;

const fromEncoded = (e: Encoded) => tensor(e.data, e.shape, { requiresGrad: true });

/** Largest |actual − expected| / max(1, |expected|) over all elements. */
function deviation(actual: Tensor, expected: Encoded): number {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.dataSync();
  let worst = 0;
  got.forEach((v, i) => {
    const want = expected.data[i]!;
    const error = Math.abs(v - want) / Math.max(1, Math.abs(want));
    if (!(error <= worst)) worst = error; // NaN stays the worst
  });
  return worst;
}

describeEachBackend('optimizers against torch.optim (five steps, the same gradients)', () => {
  it('covers every optimizer, with weight decay for SGD and Adam', () => {
    const names = fixture.cases.map((c) => c.optimizer);
    expect(new Set(names)).toEqual(new Set(Object.keys(classes)));
    const decayed = fixture.cases.filter((c) => c.options.weightDecay).map((c) => c.optimizer);
    expect(decayed).toEqual(expect.arrayContaining(['SGD', 'Adam', 'AdamW']));
  });

  it.each(fixture.cases.map((c) => [c.torch, c] as const))('torch.optim.%s', (_name, c) => {
    const params = fixture.initial.map(fromEncoded);
    const optimizer = new classes[c.optimizer]!(params, c.options);
    c.trajectory.forEach((expected, step) => {
      params.forEach((p, i) => {
        p.grad = tensor(fixture.grads[step]![i]!.data, p.shape);
      });
      optimizer.step();
      params.forEach((p, i) => {
        const error = deviation(p, expected[i]!);
        expect(error, `step ${step + 1}, parameter ${i}`).toBeLessThanOrEqual(TOLERANCE);
      });
    });
    // The parameters moved well beyond the tolerance, so matching torch is not trivial.
    expect(deviation(params[0]!, fixture.initial[0]!)).toBeGreaterThan(100 * TOLERANCE);
  });
});

describeEachBackend('stateDict / loadStateDict', () => {
  const settings: [string, () => [OptimizerClass, Record<string, number>]][] = [
    ['SGD', () => [SGD, { lr: 0.1, weightDecay: 0.01 }]],
    ['Momentum', () => [Momentum, { lr: 0.05, momentum: 0.8 }]],
    ['Nesterov', () => [Nesterov, { lr: 0.05, momentum: 0.85 }]],
    ['AdaGrad', () => [AdaGrad, { lr: 0.1, eps: 1e-6 }]],
    ['RMSprop', () => [RMSprop, { lr: 0.01, decayRate: 0.9 }]],
    ['Adam', () => [Adam, { lr: 0.01, beta1: 0.8, beta2: 0.99 }]],
    ['AdamW', () => [AdamW, { lr: 0.01, weightDecay: 0.1 }]],
  ];

  const feed = (params: Tensor[], step: number) =>
    params.forEach((p, i) => {
      p.grad = tensor(fixture.grads[step]![i]!.data, p.shape);
    });

  it.each(settings)('%s resumes bit for bit after 3 + 2 steps', (_name, make) => {
    const [Class, options] = make();
    const params = fixture.initial.map(fromEncoded);
    const original = new Class(params, options);
    for (let step = 0; step < 3; step++) {
      feed(params, step);
      original.step();
    }
    const saved = original.stateDict();
    // A fresh optimizer with default hyperparameters on copies of the parameters: loading must
    // restore the hyperparameters, the step count and every slot.
    const snapshot = params.map((p) => tensor(p.dataSync(), p.shape));
    const copies = snapshot.map((p) => tensor(p.dataSync(), p.shape, { requiresGrad: true }));
    const resumed = new Class(copies);
    resumed.loadStateDict(saved);
    expect(resumed.stepCount).toBe(3);
    expect(resumed.lr).toBe(options.lr);
    expect(resumed.stateDict().hyperparameters).toEqual(saved.hyperparameters);
    for (let step = 3; step < 5; step++) {
      feed(params, step);
      feed(copies, step);
      original.step();
      resumed.step();
    }
    params.forEach((p, i) => {
      expect(copies[i]!.dataSync()).toEqual(p.dataSync());
    });
    // Without loading, the same two steps go elsewhere: the state is what made them equal.
    const unloaded = snapshot.map((p) => tensor(p.dataSync(), p.shape, { requiresGrad: true }));
    const blank = new Class(unloaded);
    for (let step = 3; step < 5; step++) {
      feed(unloaded, step);
      blank.step();
    }
    expect(unloaded[0]!.dataSync()).not.toEqual(params[0]!.dataSync());
  });

  it('saves slots under PyTorch’s names', () => {
    const params = fixture.initial.map(fromEncoded);
    const adam = new Adam(params);
    feed(params, 0);
    adam.step();
    expect(Object.keys(adam.stateDict().slots).sort()).toEqual([
      '0.exp_avg',
      '0.exp_avg_sq',
      '0.step',
      '1.exp_avg',
      '1.exp_avg_sq',
      '1.step',
    ]);
    const momentum = new Momentum(params);
    momentum.step();
    expect(Object.keys(momentum.stateDict().slots)).toEqual([
      '0.momentum_buffer',
      '1.momentum_buffer',
    ]);
  });

  it('refuses a state saved by another optimizer or for other parameters', () => {
    const params = fixture.initial.map(fromEncoded);
    const adam = new Adam(params);
    feed(params, 0);
    adam.step();
    expect(() => new SGD(params).loadStateDict(adam.stateDict())).toThrow(
      /the state was saved by Adam/,
    );
    expect(() => new Adam([params[1]!, params[0]!]).loadStateDict(adam.stateDict())).toThrow(
      /slot "0.exp_avg" does not fit parameter 0/,
    );
  });
});

describeEachBackend('Optimizer', () => {
  it('skips parameters without a gradient and clears gradients with zeroGrad', () => {
    const [a, b] = fixture.initial.map(fromEncoded) as [Tensor, Tensor];
    const before = Array.from(b.dataSync());
    const sgd = new SGD([a, b], { lr: 0.5 });
    a.grad = tensor(new Float32Array(a.size).fill(1), a.shape);
    sgd.step();
    expect(Array.from(b.dataSync())).toEqual(before);
    expect(a.dataSync()[0]).toBeCloseTo(fixture.initial[0]!.data[0]! - 0.5, 6);
    sgd.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('rejects a negative learning rate or weight decay', () => {
    expect(() => new SGD([], { lr: -1 })).toThrow(/lr must be ≥ 0/);
    expect(() => new Adam([], { weightDecay: -0.1 })).toThrow(/weightDecay must be ≥ 0/);
  });

  it('keeps the book’s ε = 1e-7 by default and Adam’s lr 0.001', () => {
    expect(new AdaGrad([]).eps).toBe(1e-7);
    expect(new RMSprop([]).eps).toBe(1e-7);
    expect(new Adam([]).eps).toBe(1e-7);
    expect(new Adam([]).lr).toBe(0.001);
    expect(new AdamW([]).weightDecay).toBe(0.01);
  });
});

describeEachBackend('Adam counts steps per parameter, as torch.optim', () => {
  it('a parameter that first gets a gradient on step 3 is corrected as at its first step', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([1, 2], undefined, { requiresGrad: true });
    const late = tensor([1, 2], undefined, { requiresGrad: true });
    const adam = new Adam([a, late], { lr: 0.1 });
    const fresh = new Adam([b], { lr: 0.1 });
    for (let step = 0; step < 2; step++) {
      a.grad = tensor([0.5, -0.5]);
      late.grad = null;
      adam.step();
    }
    late.grad = tensor([0.3, 0.7]);
    a.grad = null;
    adam.step();
    b.grad = tensor([0.3, 0.7]);
    fresh.step();
    // Bias correction with t = 1 for `late`, exactly like a fresh optimizer's first step.
    expect(late.dataSync()).toEqual(b.dataSync());
  });
});

describeEachBackend('Adam with the book’s ε (epsBeforeCorrection)', () => {
  // A gradient as small as ε is where the two forms part: the first step with g = 1e-6, ε = 1e-7.
  const firstStep = (epsBeforeCorrection: boolean) => {
    const w = tensor([0, 0], undefined, { requiresGrad: true });
    const adam = new Adam([w], { lr: 0.001, eps: 1e-7, epsBeforeCorrection });
    w.grad = tensor([1e-6, -1e-6]);
    adam.step();
    return [...w.dataSync()];
  };
  const relativeError = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

  it('takes the book’s step: lr·√(1−β2ᵗ)/(1−β1ᵗ)·m / (√v + ε)', () => {
    // t = 1: m = 0.1·g, v = 0.001·g², so the step is lr·√0.001/0.1 · 0.1·g / (√0.001·|g| + ε).
    const book = (0.001 * Math.sqrt(0.001) * 1e-6) / (Math.sqrt(0.001) * 1e-6 + 1e-7); // 2.403e-4
    const [down, up] = firstStep(true);
    expect(relativeError(down!, -book)).toBeLessThan(1e-6);
    expect(relativeError(up!, book)).toBeLessThan(1e-6);
    // torch.optim's form: lr·m̂ / (√v̂ + ε) = lr·g / (|g| + ε), almost four times as far here.
    const torch = (0.001 * 1e-6) / (1e-6 + 1e-7); // 9.09e-4
    expect(relativeError(firstStep(false)[0]!, -torch)).toBeLessThan(1e-6);
  });

  it('is saved with the state; a state saved before the option loads as ε on √v̂', () => {
    const w = tensor([1, 2], undefined, { requiresGrad: true });
    const adam = new Adam([w], { epsBeforeCorrection: true });
    w.grad = tensor([0.1, 0.2]);
    adam.step();
    const saved = adam.stateDict();
    expect(saved.hyperparameters.epsBeforeCorrection).toBe(1);
    const restored = new Adam([tensor([1, 2], undefined, { requiresGrad: true })]);
    restored.loadStateDict(saved);
    expect(restored.epsBeforeCorrection).toBe(true);
    const { epsBeforeCorrection: _dropped, ...older } = saved.hyperparameters;
    const fromOlder = new Adam([tensor([1, 2], undefined, { requiresGrad: true })], {
      epsBeforeCorrection: true,
    });
    fromOlder.loadStateDict({ ...saved, hyperparameters: older });
    expect(fromOlder.epsBeforeCorrection).toBe(false);
  });
});
