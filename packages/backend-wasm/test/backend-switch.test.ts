/**
 * Networks, optimizers and data made on the reference backend before `initWasmBackend` keep
 * training after it: their leaf tensors move to the wasm backend in place, as TF.js moves data.
 */
import { MultiLayerNetExtend, type Network, SimpleConvNet } from '@scratchnet/layers';
import { Adam, type Optimizer } from '@scratchnet/optimizers';
import { cpuBackend, manualSeed, randn, setBackend, type Tensor, tensor } from '@scratchnet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { initWasmBackend, type WasmBackend } from '../src/node.js';

const labels = (n: number) => Array.from({ length: n }, (_, i) => (i * 3) % 4);

/** The book's chapter-6 net with batch norm and weight decay (ops on a parameter alone). */
function buildExtend(): { net: Network; x: Tensor } {
  manualSeed(0);
  const net = new MultiLayerNetExtend({
    inputSize: 16,
    hiddenSizeList: [12, 12],
    outputSize: 4,
    useBatchnorm: true,
    weightDecayLambda: 0.1,
  });
  return { net, x: randn([8, 16]) };
}

function buildConv(): { net: Network; x: Tensor } {
  manualSeed(1);
  const net = new SimpleConvNet({
    inputDim: [1, 8, 8],
    filterNum: 4,
    filterSize: 3,
    hiddenSize: 10,
    outputSize: 4,
    weightInitStd: 'he',
  });
  return { net, x: randn([6, 1, 8, 8]) };
}

/** `steps` Adam steps: the losses and every step's gradients. */
function train(net: Network, x: Tensor, optimizer: Optimizer, steps: number) {
  const losses: number[] = [];
  const grads: Float32Array[][] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    const loss = net.loss(x, labels(x.shape[0]!));
    loss.backward();
    grads.push(net.parameters().map((p) => p.grad!.dataSync()));
    optimizer.step();
    losses.push(loss.item());
  }
  return { losses, grads };
}

let wasm: WasmBackend | null = null;
afterEach(async () => {
  setBackend('cpu');
  await wasm?.close();
  wasm = null;
});

describe('a backend switch after the network was built', () => {
  it('MultiLayerNetExtend built before initWasmBackend trains exactly as one built after it', async () => {
    setBackend('cpu');
    const before = buildExtend();
    const params = before.net.parameters();
    const beforeOptimizer = new Adam(params);
    wasm = await initWasmBackend({ threads: 1 });
    const after = buildExtend();
    expect(after.x.backend).toBe(wasm);

    const moved = train(before.net, before.x, beforeOptimizer, 3);
    const reference = train(after.net, after.x, new Adam(after.net.parameters()), 3);

    expect(moved.losses).toEqual(reference.losses);
    expect(moved.grads).toEqual(reference.grads);
    const values = (net: Network) => net.parameters().map((p) => p.dataSync());
    expect(values(before.net)).toEqual(values(after.net));
    before.net.parameters().forEach((p, i) => {
      expect(p).toBe(params[i]); // the same objects the optimizer holds
      expect(p.backend).toBe(wasm);
      expect(p.requiresGrad).toBe(true);
      expect(p.grad!.backend).toBe(wasm);
    });
  });

  it('SimpleConvNet keeps training when the switch comes mid-training (Adam moments included)', async () => {
    setBackend('cpu');
    const reference = buildConv();
    const cpuRun = train(reference.net, reference.x, new Adam(reference.net.parameters()), 4);

    const { net, x } = buildConv();
    const optimizer = new Adam(net.parameters());
    const first = train(net, x, optimizer, 2); // moments and gradients made on cpu
    expect(net.parameters()[0]!.backend).toBe(cpuBackend);
    wasm = await initWasmBackend({ threads: 1 });
    const rest = train(net, x, optimizer, 2);

    const losses = [...first.losses, ...rest.losses];
    losses.forEach((loss, i) => {
      expect(loss).toBeCloseTo(cpuRun.losses[i]!, 5);
    });
    expect(losses[3]).toBeLessThan(losses[0]!);
    for (const p of net.parameters()) expect(p.backend).toBe(wasm);
  });

  it('a plain leaf made on cpu: an op and backward after initWasmBackend', async () => {
    setBackend('cpu');
    const w = tensor([1, -2, 3], undefined, { requiresGrad: true });
    wasm = await initWasmBackend({ threads: 1 });
    const y = w
      .mul(w)
      .mul(tensor([1, 10, 100]))
      .sum();
    expect(y.backend).toBe(wasm);
    y.backward();
    expect(w.backend).toBe(wasm);
    expect(w.requiresGrad).toBe(true);
    expect(w.grad!.backend).toBe(wasm);
    expect(w.grad!.toArray()).toEqual([2, -40, 600]);
  });
});
