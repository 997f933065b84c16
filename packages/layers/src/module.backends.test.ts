import { manualSeed, randn, ShapeError, type Tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it, vi } from 'vitest';
import { Flatten, ReLU } from './activations.js';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { type ForwardHook, Module } from './module.js';
import { SimpleConvNet } from './networks/simple-conv-net.js';
import { MaxPool2d } from './pooling.js';
import { Sequential } from './sequential.js';
import { loadFixture } from './testing/golden.js';

/** A module with a nested Sequential, to check dotted names through two levels. */
class Net extends Module {
  readonly block = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU());
  readonly head = new Linear(3, 2);

  forward(x: Tensor): Tensor {
    return this.head.apply(this.block.apply(x));
  }
}

describeEachBackend('Module', () => {
  it('names parameters with dots, Sequential children by index', () => {
    const seq = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    expect(seq.namedParameters().map(([name]) => name)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
    ]);
    expect(new Net().namedParameters().map(([name]) => name)).toEqual([
      'block.0.weight',
      'block.0.bias',
      'block.1.weight',
      'block.1.bias',
      'head.weight',
      'head.bias',
    ]);
    const nested = new Sequential(new Sequential(new Linear(2, 2)), new Linear(2, 1));
    expect(nested.namedParameters().map(([name]) => name)).toEqual([
      '0.0.weight',
      '0.0.bias',
      '1.weight',
      '1.bias',
    ]);
  });

  it('parameters() are the layers’ own tensors, so updates reach the layers', () => {
    const net = new Net();
    expect(net.parameters()[0]).toBe((net.block.layers[0] as Linear).weight);
    expect(net.parameters().at(-1)).toBe(net.head.bias);
  });

  it('train() and eval() reach every module below', () => {
    const net = new Net();
    const modes = () => net.namedModules().map(([, m]) => m.training);
    expect(modes()).toEqual([true, true, true, true, true, true]);
    expect(net.eval()).toBe(net);
    expect(modes()).toEqual([false, false, false, false, false, false]);
    net.block.train();
    expect(modes()).toEqual([false, true, true, true, true, false]);
    net.train();
    expect(modes().every(Boolean)).toBe(true);
  });

  it('zeroGrad() clears every parameter’s gradient', () => {
    const net = new Net();
    net
      .forward(randn([5, 4]))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('counts parameters but not buffers', () => {
    // Linear 4·3 + 3, batch norm γ and β 3 + 3, Linear 3·2 + 2.
    expect(new Net().parameterCount()).toBe(15 + 6 + 8);
    expect(new BatchNorm2d(16).parameterCount()).toBe(32);
  });

  it('summary() shows each layer’s output shape and parameter count', () => {
    const seq = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    expect(seq.summary([5, 4])).toBe(
      [
        'Sequential, input [5, 4]',
        '───────────────────────────────────',
        'Layer (type)  Output shape  Param #',
        '───────────────────────────────────',
        '0 (Linear)    [5, 3]             15',
        '1 (ReLU)      [5, 3]              0',
        '2 (Linear)    [5, 2]              8',
        '───────────────────────────────────',
        'Total params: 23',
      ].join('\n'),
    );
  });

  it('summary() lists a layer its parent calls by forward() (so no hook sees it) below the table', () => {
    class Direct extends Module {
      readonly fc = new Linear(4, 2);
      readonly unused = new ReLU();
      forward(x: Tensor): Tensor {
        return this.fc.forward(x);
      }
    }
    const summary = new Direct().summary([1, 4]);
    expect(summary).not.toContain('fc (Linear)  ');
    expect(summary).toContain(
      'Not shown (unused, or called by forward() instead of apply()): fc (Linear), unused (ReLU)\nTotal params: 10',
    );
  });

  it('summary() removes its hooks when the forward pass fails', () => {
    const seq = new Sequential(new Linear(4, 3), new ReLU());
    const first = seq.layers[0]!;
    const counted = vi.spyOn(first, 'parameterCount');
    expect(() => seq.summary([2, 5])).toThrow(ShapeError);
    first.apply(randn([1, 4]));
    expect(counted).not.toHaveBeenCalled();
    expect(seq.summary([2, 4]).match(/0 \(Linear\)/g)).toHaveLength(1);
  });

  it('summary() leaves the mode and the layers as they were', () => {
    const net = new Net();
    const before = net.block.layers[0]!.forward;
    expect(net.summary([2, 4])).toContain('block.1 (BatchNorm1d)  [2, 3]');
    expect(net.training).toBe(true);
    expect(net.block.layers[0]!.forward).toBe(before);
    expect(Object.hasOwn(net.block.layers[0]!, 'forward')).toBe(false);
    // Evaluation mode: the summary's pass did not touch the running statistics.
    expect(net.stateDict()['block.1.num_batches_tracked']!.item()).toBe(0);
  });
});

describeEachBackend('stateDict', () => {
  const { cases } = loadFixture<{
    cases: { name: string; input: number[]; state: [string, number[]][] }[];
  }>('state-names.json');

  it('has PyTorch’s names, order and shapes, batch norm buffers included', () => {
    const torch = cases[0]!;
    const seq = new Sequential(
      new Conv2d(1, 2, 3),
      new BatchNorm2d(2),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(8, 4),
      new BatchNorm1d(4),
      new Dropout(0.5),
      new Linear(4, 3),
    );
    const ours = Object.entries(seq.stateDict()).map(([name, t]) => [name, [...t.shape]]);
    expect(ours).toEqual(torch.state);
    expect(ours.map(([name]) => name)).toContain('1.num_batches_tracked');
    // The same network runs on the fixture's input shape.
    expect(seq.forward(randn(torch.input)).shape).toEqual([2, 3]);
  });

  it('saves and restores batch norm’s running statistics', () => {
    manualSeed(4);
    const a = new Net();
    for (let i = 0; i < 3; i++) a.forward(randn([6, 4]).mul(3).add(1));
    const state = a.stateDict();
    expect(state['block.1.num_batches_tracked']!.item()).toBe(3);
    const b = new Net();
    b.loadStateDict(state);
    const x = randn([2, 4]);
    a.eval();
    b.eval();
    expect(b.forward(x).dataSync()).toEqual(a.forward(x).dataSync());
    expect(b.stateDict()['block.1.running_var']!.dataSync()).toEqual(
      state['block.1.running_var']!.dataSync(),
    );
  });

  it('returns detached copies: changing a parameter later does not change a saved state', () => {
    const fc = new Linear(2, 2);
    const saved = fc.stateDict();
    const before = Array.from(saved.weight!.dataSync());
    fc.weight.assign(fc.weight.add(1));
    expect(Array.from(saved.weight!.dataSync())).toEqual(before);
    expect(saved.weight!.requiresGrad).toBe(false);
  });
});

describeEachBackend('forward hooks', () => {
  it('see the exact input and output of a child in a SimpleConvNet forward pass', () => {
    manualSeed(5);
    const net = new SimpleConvNet({ filterNum: 3, hiddenSize: 8 });
    const x = randn([2, 1, 28, 28]);
    const seen: Record<string, { input: Tensor; output: Tensor }> = {};
    for (const name of ['conv1', 'pool1', 'fc1', 'fc2'] as const) {
      net[name].registerForwardHook((module, input, output) => {
        expect(module).toBe(net[name]);
        seen[name] = { input, output };
      });
    }
    const logits = net.forward(x);
    expect(seen.conv1!.input).toBe(x);
    expect(seen.fc2!.output).toBe(logits);
    // The same values as calling each child directly on what it was given.
    expect(seen.conv1!.output.dataSync()).toEqual(net.conv1.forward(x).dataSync());
    expect(seen.fc1!.input.shape).toEqual([2, 3 * 12 * 12]);
    expect(seen.fc1!.input.dataSync()).toEqual(seen.pool1!.output.flatten(1).dataSync());
    expect(seen.fc1!.output.dataSync()).toEqual(net.fc1.forward(seen.fc1!.input).dataSync());
    // apply on the network runs the same pass (and the network's own hooks).
    const outer = vi.fn<ForwardHook>();
    net.registerForwardHook(outer);
    expect(net.apply(x).dataSync()).toEqual(logits.dataSync());
    expect(outer).toHaveBeenCalledWith(net, x, expect.anything());
  });

  it('fire in registration order, each time, until removed', () => {
    const layer = new Linear(3, 2);
    const calls: string[] = [];
    const a = layer.registerForwardHook(() => calls.push('a'));
    layer.registerForwardHook(() => calls.push('b'));
    const again = (() => calls.push('a again')) satisfies ForwardHook;
    const c = layer.registerForwardHook(again);
    const x = randn([1, 3]);
    const out = layer.apply(x);
    expect(calls).toEqual(['a', 'b', 'a again']);
    a.remove();
    a.remove(); // a second remove() does nothing
    layer.apply(x);
    expect(calls).toEqual(['a', 'b', 'a again', 'b', 'a again']);
    c.remove();
    layer.apply(x);
    expect(calls.slice(5)).toEqual(['b']);
    // forward is the bare computation: no hooks.
    layer.forward(x);
    expect(calls).toHaveLength(6);
    expect(layer.apply(x).dataSync()).toEqual(out.dataSync());
  });

  it('may remove themselves while running; the others still run', () => {
    const layer = new ReLU();
    const calls: string[] = [];
    const first = layer.registerForwardHook(() => {
      calls.push('first');
      first.remove();
    });
    layer.registerForwardHook(() => calls.push('second'));
    layer.apply(randn([2]));
    layer.apply(randn([2]));
    expect(calls).toEqual(['first', 'second', 'second']);
  });

  it('fire inside Sequential and MultiLayerNet-style containers, nested too', () => {
    const inner = new Linear(2, 2);
    const seq = new Sequential(new Sequential(inner), new ReLU());
    const inputs: Tensor[] = [];
    inner.registerForwardHook((_m, input) => inputs.push(input));
    const x = randn([1, 2]);
    seq.forward(x);
    expect(inputs).toEqual([x]);
  });

  it('a hook that throws stops the pass with its error; summary() then leaves no hook behind', () => {
    const net = new Net();
    const head = net.head;
    const failing = head.registerForwardHook(() => {
      throw new Error('hook failed');
    });
    expect(() => net.forward(randn([2, 4]))).toThrow('hook failed');
    // summary() runs the pass too: it fails the same way, and restores the mode and its hooks.
    const counted = vi.spyOn(head, 'parameterCount');
    expect(() => net.summary([2, 4])).toThrow('hook failed');
    expect(net.training).toBe(true);
    failing.remove();
    counted.mockClear();
    net.forward(randn([2, 4]));
    expect(counted).not.toHaveBeenCalled(); // summary's hook on head would count its parameters
    expect(net.summary([2, 4])).toMatch(/\nhead \(Linear\) +\[2, 2\] +8\n/);
  });
});
