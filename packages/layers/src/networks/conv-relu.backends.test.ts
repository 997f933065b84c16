import { manualSeed, randn, type Tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it, vi } from 'vitest';
import type { Conv2d } from '../conv2d.js';
import type { Module } from '../module.js';
import { DeepConvNet } from './deep-conv-net.js';
import type { Network } from './network.js';
import { SequentialNet } from './sequential-net.js';
import { SimpleConvNet } from './simple-conv-net.js';

/** One training step's loss, output and gradients, the dropout masks drawn the same each time. */
function step(net: Network, x: Tensor, labels: number[]) {
  net.zeroGrad();
  manualSeed(11);
  const output = net.forward(x).dataSync();
  manualSeed(11);
  const loss = net.loss(x, labels);
  loss.backward();
  return {
    loss: loss.item(),
    output,
    grads: net.namedParameters().map(([name, p]) => [name, p.grad!.dataSync()] as const),
  };
}

const labels = [3, 1];
const networks: [string, () => Network, () => Tensor, string[]][] = [
  [
    'SimpleConvNet',
    () => new SimpleConvNet({ inputDim: [1, 12, 12], filterNum: 4, hiddenSize: 8 }),
    () => randn([2, 1, 12, 12]),
    ['conv1'],
  ],
  [
    'DeepConvNet',
    () => new DeepConvNet(),
    () => randn([2, 1, 28, 28]),
    ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6'],
  ],
  [
    'SequentialNet',
    () =>
      new SequentialNet({
        inputShape: [2, 9, 9],
        layers: [
          { type: 'conv2d', name: 'conv1', outChannels: 3, kernelSize: 3, padding: 1 },
          { type: 'relu', name: 'relu1' },
          { type: 'conv2d', name: 'conv2', outChannels: 3, kernelSize: 3, stride: 2 },
          { type: 'relu', name: 'relu2' },
          { type: 'flatten' },
          { type: 'linear', name: 'fc', outFeatures: 10 },
        ],
      }),
    () => randn([2, 2, 9, 9]),
    ['conv1', 'conv2'],
  ],
];

describeEachBackend('Conv → ReLU runs fused unless a hook watches it', () => {
  for (const [name, make, input, convs] of networks) {
    it(`${name}: the same output and gradients with and without hooks`, () => {
      manualSeed(5);
      const net = make();
      const x = input();
      const fusedRuns = convs.map((conv) => vi.spyOn(layer(net, conv) as Conv2d, 'forwardRelu'));
      const fused = step(net, x, labels);
      for (const spy of fusedRuns) expect(spy).toHaveBeenCalled();
      for (const spy of fusedRuns) spy.mockClear();

      // A hook on a convolution sees its output before ReLU; one on the ReLU sees ReLU's output.
      const before: Tensor[] = [];
      const after: Tensor[] = [];
      const handles = [
        layer(net, convs[0]!).registerForwardHook((_m, _x, y) => before.push(y)),
        layer(net, convs[0]!.replace('conv', 'relu')).registerForwardHook((_m, _x, y) =>
          after.push(y),
        ),
        // The last pair is watched through its ReLU only.
        layer(net, convs.at(-1)!.replace('conv', 'relu')).registerForwardHook(() => {}),
      ];
      const hooked = step(net, x, labels);
      // The watched pairs ran unfused, the others (DeepConvNet's middle four) still fused.
      fusedRuns.forEach((spy, i) => {
        if (i === 0 || i === fusedRuns.length - 1) expect(spy).not.toHaveBeenCalled();
        else expect(spy).toHaveBeenCalled();
      });
      expect(before[0]!.dataSync().some((v) => v < 0)).toBe(true);
      expect(after[0]!.dataSync()).toEqual(before[0]!.relu().dataSync());

      for (const handle of handles) handle.remove();
      const again = step(net, x, labels);
      expect(fusedRuns[0]).toHaveBeenCalled();

      for (const other of [hooked, again]) {
        expect(other.output).toEqual(fused.output);
        expect(other.loss).toBe(fused.loss);
        expect(other.grads.map(([n]) => n)).toEqual(fused.grads.map(([n]) => n));
        other.grads.forEach(([n, g], i) => {
          expect(g, n).toEqual(fused.grads[i]![1]);
        });
      }
    });
  }

  it('summary() still lists the convolution and its ReLU with their own shapes', () => {
    const summary = new SimpleConvNet().summary([1, 1, 28, 28]);
    expect(summary).toMatch(/conv1 \(Conv2d\)\s+\[1, 30, 24, 24\]/);
    expect(summary).toMatch(/relu1 \(ReLU\)\s+\[1, 30, 24, 24\]/);
  });
});

function layer(net: Network, name: string): Module {
  const found = net.namedModules().find(([n]) => n === name)?.[1];
  if (!found) throw new Error(`no layer ${name}`);
  return found;
}
