/**
 * The book's optimizer comparison (chapter 6.1.7, ch06/optimizer_compare_naive.py, figure 6-8):
 * f(x, y) = x²/20 + y² minimised from (−7, 2) for 30 steps. The fixture holds the paths of the
 * book's own update rules, run in NumPy by scripts/book-optimizer-paths.py; here scratchnet's
 * optimizers take the same steps with gradients from autograd.
 */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import type { Optimizer } from './optimizer.js';
import { AdaGrad, Adam, Momentum, SGD } from './optimizers.js';

interface BookPath {
  optimizer: string;
  lr: number;
  points: [number, number][];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/book-optimizer-paths.json', import.meta.url), 'utf8'),
) as { start: [number, number]; steps: number; paths: BookPath[] };

/** Our optimizer for each of the book's, with the book's settings (ε 1e-7 on √v, momentum 0.9). */
const build: Record<string, (params: Tensor[], lr: number) => Optimizer> = {
  SGD: (params, lr) => new SGD(params, { lr }),
  Momentum: (params, lr) => new Momentum(params, { lr, momentum: 0.9 }),
  AdaGrad: (params, lr) => new AdaGrad(params, { lr, eps: 1e-7 }),
  Adam: (params, lr) =>
    new Adam(params, { lr, beta1: 0.9, beta2: 0.999, eps: 1e-7, epsBeforeCorrection: true }),
};

/** Runs our optimizer on f and returns the 31 points: the start and one after each step. */
function ourPath(name: string, lr: number): [number, number][] {
  const x = tensor(fixture.start[0], [], { requiresGrad: true });
  const y = tensor(fixture.start[1], [], { requiresGrad: true });
  const optimizer = build[name]!([x, y], lr);
  const points: [number, number][] = [[x.item(), y.item()]];
  for (let step = 0; step < fixture.steps; step++) {
    optimizer.zeroGrad();
    x.square().div(20).add(y.square()).backward();
    optimizer.step();
    points.push([x.item(), y.item()]);
  }
  return points;
}

/** The largest distance, coordinate by coordinate, between two paths. */
const maxDeviation = (a: [number, number][], b: [number, number][]) =>
  Math.max(...a.flatMap(([x, y], i) => [Math.abs(x - b[i]![0]), Math.abs(y - b[i]![1])]));

describeEachBackend('the book’s optimizer comparison, f(x, y) = x²/20 + y² from (−7, 2)', () => {
  it('has the book’s four optimizers and learning rates, 31 points each', () => {
    expect(fixture.paths.map((p) => [p.optimizer, p.lr])).toEqual([
      ['SGD', 0.95],
      ['Momentum', 0.1],
      ['AdaGrad', 1.5],
      ['Adam', 0.3],
    ]);
    for (const path of fixture.paths) expect(path.points).toHaveLength(31);
  });

  // All four are the book's rules exactly (Momentum in PyTorch's equivalent form, Adam with
  // `epsBeforeCorrection`); they stay within 8e-7, float32 rounding. Adam's default, ε added to
  // √v̂ as torch.optim does, moves this path by up to 9e-6 and fails here.
  it.each(fixture.paths.map((p) => [p.optimizer, p] as const))(
    '%s follows the book',
    (name, path) => {
      const ours = ourPath(name, path.lr);
      expect(maxDeviation(ours, path.points)).toBeLessThan(2e-6);
    },
  );

  it('ends where figure 6-8 shows: SGD zig-zags, AdaGrad has flattened y, all near the minimum', () => {
    const end = Object.fromEntries(fixture.paths.map((p) => [p.optimizer, p.points.at(-1)!]));
    // SGD's y flips sign every step (lr 0.95 overshoots the steep y direction).
    const sgd = fixture.paths[0]!.points;
    expect(Math.sign(sgd[1]![1])).toBe(-Math.sign(sgd[2]![1]));
    expect(Math.abs(end.AdaGrad![1])).toBeLessThan(1e-10);
    for (const [x, y] of Object.values(end)) expect(Math.hypot(x, y)).toBeLessThan(1);
  });
});
