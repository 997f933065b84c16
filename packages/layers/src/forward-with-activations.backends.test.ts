import { manualSeed, noGrad, randn, type Tensor, tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { forwardWithActivations } from './forward-with-activations.js';
import { DeepConvNet } from './networks/deep-conv-net.js';
import { SequentialNet } from './networks/sequential-net.js';
import { SimpleConvNet } from './networks/simple-conv-net.js';

describeEachBackend('forwardWithActivations', () => {
  it('visits every leaf layer in order with the output it gave, and returns the logits', () => {
    manualSeed(2);
    const net = new SimpleConvNet({ filterNum: 4, hiddenSize: 6 }).eval();
    const x = randn([2, 1, 28, 28]);
    const visits: [string, string, Tensor][] = [];
    const values = new Map<string, Float32Array>();
    const logits = noGrad(() =>
      forwardWithActivations(net, x, (name, layer, output) => {
        visits.push([name, layer.typeName, output]);
        values.set(name, output.dataSync()); // valid while the pass runs, then freed
      }),
    );
    expect(visits.map(([name, type, out]) => `${name} ${type} ${out.shape.join('×')}`)).toEqual([
      'conv1 Conv2d 2×4×24×24',
      'relu1 ReLU 2×4×24×24',
      'pool1 MaxPool2d 2×4×12×12',
      'fc1 Linear 2×6',
      'relu2 ReLU 2×6',
      'fc2 Linear 2×10',
    ]);
    expect(logits.dataSync()).toEqual(net.forward(x).dataSync());
    expect(visits[5]![2]).toBe(logits);
    // Each output is what the layer itself computes from the one before.
    const relu1 = tensor(values.get('relu1')!, [2, 4, 24, 24]);
    expect(values.get('pool1')).toEqual(net.pool1.forward(relu1).dataSync());
    // The intermediate outputs were freed with the pass; the logits are the caller's.
    expect(visits[2]![2].isDisposed).toBe(true);
    expect(logits.isDisposed).toBe(false);
  });

  it('names a SequentialNet’s layers by their specs', () => {
    const net = new SequentialNet({
      inputShape: [4],
      layers: [
        { type: 'linear', name: 'hidden', outFeatures: 3 },
        { type: 'tanh' },
        { type: 'linear', name: 'out', outFeatures: 2 },
      ],
    });
    const names: string[] = [];
    forwardWithActivations(net, randn([1, 4]), (name) => names.push(name));
    expect(names).toEqual(['hidden', '1', 'out']);
  });

  it('removes its hooks when visit throws: a later pass visits nothing', () => {
    const net = new DeepConvNet().eval();
    const x = randn([1, 1, 28, 28]);
    let visits = 0;
    const failing = () => {
      visits++;
      if (visits === 3) throw new Error('stop at the third layer');
    };
    expect(() => noGrad(() => forwardWithActivations(net, x, failing))).toThrow(
      'stop at the third layer',
    );
    expect(visits).toBe(3);
    noGrad(() => net.forward(x));
    expect(visits).toBe(3);
  });
});
