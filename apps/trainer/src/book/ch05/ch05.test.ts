import { describe, expect, it } from 'vitest';
import { numbersIn, runScript, scriptNames } from '../testing.js';
import { ch05 } from './index.js';

describe('scratchnet book: ch05 backpropagation', () => {
  it('buy-apple prints the book’s price and gradients', async () => {
    const { lines } = await runScript('ch05/buy-apple');
    expect(lines).toEqual(['price: 220', 'dApple: 2.2', 'dApple_num: 110', 'dTax: 200']);
  });

  it('buy-apple-orange prints the book’s price and gradients (dOrange as Python prints it)', async () => {
    const { lines } = await runScript('ch05/buy-apple-orange');
    expect(lines).toEqual([
      'price: 715',
      'dApple: 2.2',
      'dApple_num: 110',
      'dOrange: 3.3000000000000003',
      'dOrange_num: 165',
      'dTax: 650',
    ]);
    expect(Number(lines[3]!.split(' ')[1])).toBeCloseTo(3.3, 12);
  });

  it('gradient-check: chapter 5’s ReLU net, each mean difference below the bound it states', async () => {
    const { lines } = await runScript('ch05/gradient-check');
    const keys = lines.slice(0, 4).map((line) => line.split(':')[0]);
    expect(keys).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(lines[4]).toMatch(/^\(784-3-10, ReLU;/);
    const bound = Number(lines[4]!.match(/below (\S+?)\./)?.[1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(1e-6);
    for (const line of lines.slice(0, 4)) {
      const diff = Number(line.split(':')[1]);
      expect(diff, line).toBeGreaterThan(0);
      expect(diff, line).toBeLessThan(bound);
    }
  }, 120_000);
});

describe('scratchnet book: ch05 layers and TwoLayerNet', () => {
  it('layer-naive runs MulLayer and AddLayer forward and backward', async () => {
    const { lines } = await runScript('ch05/layer-naive');
    expect(lines).toEqual([
      'MulLayer.forward(100, 2): 200',
      'MulLayer.backward(1): 2 100',
      'AddLayer.forward(200, 450): 650',
      'AddLayer.backward(1.1): 1.1 1.1',
    ]);
  });

  it('two-layer-net names the book’s layers and prints a loss near ln 10 and the gradient shapes', async () => {
    const { lines } = await runScript('ch05/two-layer-net');
    expect(lines.slice(0, 4)).toEqual([
      'Affine1: fc1 (Linear)',
      'Relu1: act1 (ReLU)',
      'Affine2: fc2 (Linear)',
      'SoftmaxWithLoss: network.loss (softmaxCrossEntropy)',
    ]);
    // Weights of std 0.01 give near-uniform outputs: the loss is about ln 10 = 2.3026.
    expect(Number(lines[4]!.split(': ')[1])).toBeCloseTo(Math.log(10), 2);
    expect(lines.slice(5)).toEqual([
      "grads['W1'].shape: (784, 50)",
      "grads['b1'].shape: (50,)",
      "grads['W2'].shape: (50, 10)",
      "grads['b2'].shape: (10,)",
    ]);
  });

  it('train-neuralnet prints `train_acc test_acc`, and the ReLU net learns faster than ch04’s', async () => {
    const { lines, files } = await runScript('ch05/train-neuralnet');
    expect(lines).toHaveLength(11);
    for (const line of lines) expect(line).toMatch(/^0\.\d+ 0\.\d+$/);
    const [trainAcc, testAcc] = numbersIn(lines.at(-1)!);
    expect(trainAcc).toBeGreaterThan(0.85);
    expect(testAcc).toBeGreaterThan(0.8);
    expect(files).toEqual([]);
  }, 120_000);
});

it('tests every ch05 script', () => {
  expect(scriptNames(ch05)).toEqual([
    'layer-naive',
    'buy-apple',
    'buy-apple-orange',
    'two-layer-net',
    'gradient-check',
    'train-neuralnet',
  ]);
});
