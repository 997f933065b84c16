import { Adam, SGD } from '@scratchnet/optimizers';
import { manualSeed, noGrad, RandomGenerator, type Tensor, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { MultiLayerNet, MultiLayerNetExtend } from './multi-layer-net.js';

/**
 * Two interleaved spirals of 100 points each (a classic toy problem that a linear model cannot
 * separate), with a little Gaussian noise from a seeded generator.
 */
function twoSpirals(perClass = 100): { x: Tensor; labels: number[] } {
  const noise = new RandomGenerator(42);
  const points: number[] = [];
  const labels: number[] = [];
  for (let label = 0; label < 2; label++) {
    for (let i = 0; i < perClass; i++) {
      const r = (i + 1) / perClass;
      const angle = 1.75 * Math.PI * r + Math.PI * label;
      points.push(
        r * Math.cos(angle) + 0.03 * noise.normal(),
        r * Math.sin(angle) + 0.03 * noise.normal(),
      );
      labels.push(label);
    }
  }
  return { x: tensor(points, [2 * perClass, 2]), labels };
}

const evalLoss = (net: MultiLayerNet, x: Tensor, labels: number[]): number => {
  const wasTraining = net.training;
  net.eval();
  const loss = noGrad(() => net.loss(x, labels).item());
  net.train(wasTraining);
  return loss;
};

describeEachBackend('MultiLayerNet learns', () => {
  const { x, labels } = twoSpirals();

  it('fits two spirals: the loss falls below 0.3× its start', () => {
    manualSeed(7);
    const net = new MultiLayerNet({ inputSize: 2, hiddenSizeList: [32, 32], outputSize: 2 });
    const optimizer = new Adam(net.parameters(), { lr: 0.02 });
    const initial = evalLoss(net, x, labels);
    for (let step = 0; step < 200; step++) {
      optimizer.zeroGrad();
      net.loss(x, labels).backward();
      optimizer.step();
    }
    const final = evalLoss(net, x, labels);
    expect(initial).toBeGreaterThan(0.5); // about ln 2 for a fresh classifier
    expect(final).toBeLessThan(0.3 * initial);
    expect(net.accuracy(x, labels)).toBeGreaterThan(0.95);
  });

  it('MultiLayerNetExtend with batch norm and dropout trains too', () => {
    manualSeed(8);
    const net = new MultiLayerNetExtend({
      inputSize: 2,
      hiddenSizeList: [32, 32],
      outputSize: 2,
      useBatchnorm: true,
      useDropout: true,
      dropoutRatio: 0.1,
    });
    // The book's running statistics start at zeros (PyTorch's variance at 1).
    expect(Array.from(net.stateDict()['bn1.running_var']!.dataSync())).toEqual(
      new Array(32).fill(0),
    );
    const optimizer = new Adam(net.parameters(), { lr: 0.02 });
    // Measured in training mode: before any batch, eval mode divides by √ε alone.
    const initial = noGrad(() => net.loss(x, labels).item());
    for (let step = 0; step < 200; step++) {
      optimizer.zeroGrad();
      net.loss(x, labels).backward();
      optimizer.step();
    }
    const final = evalLoss(net, x, labels);
    expect(final).toBeLessThan(0.3 * initial);
    // 200 steps and the training-mode pass that measured the initial loss.
    expect(net.stateDict()['bn1.num_batches_tracked']!.item()).toBe(201);
  });

  it('falls because of the updates: with lr 0 the loss stays put', () => {
    manualSeed(7);
    const net = new MultiLayerNet({ inputSize: 2, hiddenSizeList: [32, 32], outputSize: 2 });
    const optimizer = new SGD(net.parameters(), { lr: 0 });
    const initial = evalLoss(net, x, labels);
    for (let step = 0; step < 5; step++) {
      optimizer.zeroGrad();
      net.loss(x, labels).backward();
      optimizer.step();
    }
    expect(evalLoss(net, x, labels)).toBe(initial);
  });
});
