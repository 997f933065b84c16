import { loadMnist } from '@scratchnet/datasets/node';
import { manualSeed, noGrad, oneHot, randn, type Tensor, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { ReLU, Sigmoid } from '../activations.js';
import { createNetwork } from './create-network.js';
import { networkStateShapes } from './state-shapes.js';
import { type ParameterGradients, TwoLayerNet } from './two-layer-net.js';

/** The first n MNIST training images as the book's load_mnist(normalize=True): [n, 784] / 255. */
async function firstMnistImages(n: number): Promise<{ x: Tensor; labels: number[] }> {
  const { train } = loadMnist();
  const pixels = Float32Array.from(train.rawImages.subarray(0, n * 784), (v) => v / 255);
  return { x: tensor(pixels, [n, 784]), labels: Array.from(train.rawLabels.subarray(0, n)) };
}

/** Per parameter, the book's gradient_check.py figure: the mean |a − b|; and the largest. */
function differences(a: ParameterGradients, b: ParameterGradients) {
  return Object.keys(a).map((name) => {
    const x = a[name]!.dataSync();
    const y = b[name]!.dataSync();
    let sum = 0;
    let max = 0;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      sum += d;
      max = Math.max(max, d);
    }
    return { name, mean: sum / x.length, max };
  });
}

describeEachBackend('TwoLayerNet (the book’s ch04/ch05 two_layer_net.py)', () => {
  it('lays out W1 b1 W2 b2 as fc1 and fc2, initialised N(0, 0.01²) with zero biases', () => {
    manualSeed(4);
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10 });
    const shapes = Object.fromEntries(
      Object.entries(net.stateDict()).map(([name, t]) => [name, [...t.shape]]),
    );
    expect(shapes).toEqual({
      'fc1.weight': [50, 784],
      'fc1.bias': [50],
      'fc2.weight': [10, 50],
      'fc2.bias': [10],
    });
    expect(net.parameterCount()).toBe(784 * 50 + 50 + 50 * 10 + 10);
    const w = net.fc1.weight.dataSync();
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.0095);
    expect(std).toBeLessThan(0.0105);
    expect(net.fc1.bias!.dataSync().every((b) => b === 0)).toBe(true);
    expect(net.act1).toBeInstanceOf(Sigmoid);
    expect(new TwoLayerNet({ activation: 'relu' }).act1).toBeInstanceOf(ReLU);
  });

  it('predicts as the book’s section 3.4.2 example, with W1 and W2 transposed into fc1 and fc2', () => {
    const net = new TwoLayerNet({ inputSize: 2, hiddenSize: 3, outputSize: 2 });
    net.loadStateDict({
      'fc1.weight': tensor([
        [0.1, 0.3, 0.5],
        [0.2, 0.4, 0.6],
      ]).T,
      'fc1.bias': tensor([0.1, 0.2, 0.3]),
      'fc2.weight': tensor([
        [0.1, 0.4],
        [0.2, 0.5],
        [0.3, 0.6],
      ]).T,
      'fc2.bias': tensor([0.1, 0.2]),
    });
    const a2 = net.predict(tensor([[1.0, 0.5]]));
    // A2 = Z1·W2 + B2 with the book's Z1 = [0.57444252, 0.66818777, 0.75026011]; the book prints
    // its sigmoid, Z2 = [0.62624937, 0.7710107].
    const [first, second] = a2.dataSync();
    expect(first).toBeCloseTo(0.51615984, 6);
    expect(second).toBeCloseTo(1.21402696, 6);
    const [z1, z2] = a2.sigmoid().dataSync();
    expect(z1).toBeCloseTo(0.62624937, 6);
    expect(z2).toBeCloseTo(0.7710107, 6);
  });

  it('is rebuilt by createNetwork from its config, and networkStateShapes sizes it', () => {
    const net = new TwoLayerNet({ inputSize: 6, hiddenSize: 4, outputSize: 3, activation: 'relu' });
    const config = JSON.parse(JSON.stringify(net.config));
    expect(config).toEqual({
      architecture: 'two-layer-net',
      inputSize: 6,
      hiddenSize: 4,
      outputSize: 3,
      weightInitStd: 0.01,
      activation: 'relu',
    });
    const rebuilt = createNetwork(config);
    expect(rebuilt).toBeInstanceOf(TwoLayerNet);
    expect((rebuilt as TwoLayerNet).act1).toBeInstanceOf(ReLU);
    const built = Object.fromEntries(
      Object.entries(rebuilt.stateDict()).map(([name, t]) => [name, [...t.shape]]),
    );
    expect(networkStateShapes(config)).toEqual(built);
    expect(networkStateShapes({ architecture: 'two-layer-net' })['fc1.weight']).toEqual([50, 784]);
  });

  it('numericalGradient agrees with gradient on a small sigmoid net and restores the parameters', () => {
    manualSeed(7);
    // A larger std than the book's 0.01, so that every gradient is well above float32 noise.
    const net = new TwoLayerNet({ inputSize: 4, hiddenSize: 3, outputSize: 2, weightInitStd: 1 });
    const x = randn([5, 4]);
    const labels = [0, 1, 1, 0, 1];
    const before = Object.values(net.stateDict()).map((t) => [...t.dataSync()]);
    const numeric = net.numericalGradient(x, labels);
    expect(Object.values(net.stateDict()).map((t) => [...t.dataSync()])).toEqual(before);
    const analytic = net.gradient(x, labels);
    expect(Object.keys(numeric)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    for (const { name, max } of differences(analytic, numeric)) {
      expect(max, name).toBeLessThan(1e-4);
    }
    // gradient() leaves the same tensors in each parameter's .grad, for an optimizer.
    expect(net.fc1.weight.grad).toBe(analytic['fc1.weight']);
  });

  it('passes the book’s gradient_check.py on three MNIST images, in float32', async () => {
    const { x, labels } = await firstMnistImages(3);
    const t = oneHot(labels, 10); // the book's one_hot_label=True
    manualSeed(0);
    // The book's 784-50-10 takes ~80,000 loss evaluations (~40 s here); 3 hidden units keep
    // every kind of parameter at a sixteenth of the cost (this test also runs on every wasm
    // configuration, where each evaluation is a round of small kernels). Sigmoid (ch04's net), not ch05's ReLU: in
    // float32 the step must be 1e-2, and a ReLU unit within 1e-2 of 0 then meets the kink (seed 0
    // here: fc1.bias off by up to 4e-4, mean 9e-5). Measured on 784-50-10, h = 1e-2: mean
    // differences 2e-6…6e-6 (sigmoid), 5e-6…8e-5 (ReLU); the book's float64 gets 1e-10…1e-13.
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 3, outputSize: 10 });
    const numeric = net.numericalGradient(x, t);
    const backprop = net.gradient(x, t);
    // Float32 bound: the loss (~2.3) is known to a few ulps (2.4e-7 each), which the central
    // difference divides by 2h = 0.02: ~1e-5 per value at worst (measured on the reference and wasm
    // backends: means 2e-6…6e-6, largest 2.1e-5), so each mean stays below 2e-5 and every value within 1e-4.
    const measured = differences(backprop, numeric);
    console.log(
      measured
        .map((d) => `${d.name} mean ${d.mean.toExponential(1)} max ${d.max.toExponential(1)}`)
        .join('; '),
    );
    for (const { name, mean, max } of measured) {
      expect(mean, name).toBeLessThan(2e-5);
      expect(max, name).toBeLessThan(1e-4);
    }
    // The bound has teeth: the gradient for other labels misses it on every parameter.
    const wrong = net.gradient(x, oneHot([1, 2, 3], 10));
    for (const { name, mean } of differences(wrong, numeric)) {
      expect(mean, name).toBeGreaterThan(1e-4);
    }
  }, 180_000);

  it('learns: the loss falls at every SGD step (the book’s lr 0.1 and batch of 100)', async () => {
    const { x, labels } = await firstMnistImages(100);
    manualSeed(0);
    const net = new TwoLayerNet();
    const losses: number[] = [];
    const accuracyBefore = net.accuracy(x, labels);
    for (let step = 0; step < 10; step++) {
      const grads = net.gradient(x, labels);
      losses.push(net.loss(x, labels).item());
      // The book's `network.params[key] -= learning_rate * grad[key]`.
      noGrad(() => {
        for (const [name, p] of net.namedParameters()) p.assign(p.sub(grads[name]!.mul(0.1)));
      });
    }
    losses.push(net.loss(x, labels).item());
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    expect(losses[0]! - losses.at(-1)!).toBeGreaterThan(0.03);
    expect(net.accuracy(x, labels)).toBeGreaterThan(accuracyBefore);
  });
});
