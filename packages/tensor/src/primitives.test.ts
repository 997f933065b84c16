import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, getBackend, registerBackend, setBackend } from './backend.js';
import { cpuBackend } from './cpu/cpu-backend.js';
import { tensor } from './creation.js';
import { noGrad } from './grad-mode.js';
import { avgPool2d, conv2d, maxPool2d } from './ops/conv.js';
import { linear } from './ops/linalg.js';
import { softmaxCrossEntropy } from './ops/softmax.js';
import type { Tensor } from './tensor.js';

/**
 * Storage tagged with its backend, so that a kernel handed another backend's storage, or storage
 * the core already disposed, throws.
 */
class Box {
  disposed = false;
  constructor(
    readonly owner: string,
    readonly values: Float32Array,
  ) {}
}

/**
 * The reference backend's kernels behind storage of its own, under `name`: two of these behave
 * like two real backends (say cpu and wasm) but compute bit-identical results.
 */
function boxedBackend(name: string): Backend<Box> & { calls: number } {
  const un = (d: Box): Float32Array => {
    if (!(d instanceof Box) || d.owner !== name) {
      throw new Error(`backend "${name}" was given storage of ${d instanceof Box ? d.owner : d}`);
    }
    if (d.disposed) throw new Error(`backend "${name}" was given storage it had disposed`);
    return d.values;
  };
  const backend = {
    name,
    calls: 0,
    upload: (v: Float32Array) => new Box(name, v.slice()),
    dispose: (d: Box) => {
      un(d);
      d.disposed = true;
    },
    read: (d: Box, n: number) => un(d).slice(0, n),
    readAsync: async (d: Box, n: number) => un(d).slice(0, n),
  } as Backend<Box> & { calls: number };
  // Every kernel: unbox the storage arguments, count the call, box the result.
  const kernels = [
    'fill',
    'unary',
    'binary',
    'reduce',
    'matmul',
    'gather',
    'pad',
    'concat',
    'im2col',
    'col2im',
    'conv2d',
    'conv2dInputGrad',
    'conv2dFilterGrad',
    'maxPool2d',
    'maxPool2dBackward',
    'avgPool2d',
    'avgPool2dBackward',
  ] as const;
  for (const kernel of kernels) {
    const inner = cpuBackend[kernel] as (...args: unknown[]) => Float32Array;
    (backend as unknown as Record<string, unknown>)[kernel] = (...args: unknown[]) => {
      backend.calls++;
      const unboxed = args.map((a) =>
        a instanceof Box ? un(a) : Array.isArray(a) && a[0] instanceof Box ? a.map(un) : a,
      );
      return new Box(name, inner(...unboxed));
    };
  }
  return backend;
}

const A = boxedBackend('test-a');
const B = boxedBackend('test-b');
registerBackend(A);
registerBackend(B);

afterEach(() => setBackend('cpu'));

/** Parameters of a tiny convnet and a batch, made on the active backend from fixed values. */
function build() {
  const ramp = (n: number, scale: number, shift = 0) =>
    Array.from({ length: n }, (_, i) => scale * (((i * 7) % 11) - 5 + shift));
  const p = { requiresGrad: true };
  return {
    convW: tensor(ramp(18, 0.1), [2, 1, 3, 3], p),
    convB: tensor([0.05, -0.1], [2], p),
    fcW: tensor(ramp(6, 0.2, 1), [3, 2], p),
    fcB: tensor([0.1, 0, -0.1], [3], p),
    x: tensor(ramp(50, 0.3, 2), [2, 1, 5, 5]),
  };
}
type Net = ReturnType<typeof build>;
const params = (net: Net): Tensor[] => [net.convW, net.convB, net.fcW, net.fcB];

/** Cross-entropy of conv → ReLU → max pool → linear, plus the book's ½λΣW² weight decay. */
function loss(net: Net): Tensor {
  const h = maxPool2d(conv2d(net.x, net.convW, net.convB).relu(), { kernelSize: 2, stride: 2 });
  const logits = linear(avgPool2d(h, { kernelSize: 1 }).flatten(1), net.fcW, net.fcB);
  // Ops on the weight alone (no data involved): they must follow it to the active backend too.
  const decay = net.fcW
    .square()
    .sum()
    .add(net.convW.square().sum())
    .mul(0.5 * 0.1);
  return softmaxCrossEntropy(logits, [2, 0]).add(decay);
}

/** Two steps of backward and a manual SGD update; the losses and each step's gradients. */
function train(net: Net) {
  const losses: number[] = [];
  const grads: number[][][] = [];
  for (let step = 0; step < 2; step++) {
    for (const p of params(net)) p.grad = null;
    const l = loss(net);
    l.backward();
    losses.push(l.item());
    grads.push(params(net).map((p) => Array.from(p.grad!.dataSync())));
    noGrad(() => {
      for (const p of params(net)) p.assign(p.sub(p.grad!.mul(0.5)));
    });
  }
  return { losses, grads, values: params(net).map((p) => Array.from(p.dataSync())) };
}

describe('a network built before a backend switch', () => {
  it('trains on the new backend, with the gradients of a run made entirely there', () => {
    setBackend(B.name);
    const reference = train(build());

    setBackend(A.name);
    const net = build();
    const before = params(net);
    setBackend(B.name);
    const callsOnA = A.calls;
    const moved = train(net);

    expect(A.calls).toBe(callsOnA); // nothing ran on the old backend
    expect(moved.losses).toEqual(reference.losses);
    expect(moved.grads).toEqual(reference.grads);
    expect(moved.values).toEqual(reference.values);
    params(net).forEach((p, i) => {
      expect(p).toBe(before[i]); // moved in place: a module's references stay valid
      expect(p.backend).toBe(B);
      expect(p.requiresGrad).toBe(true);
      expect(p.isLeaf).toBe(true);
      expect(p.grad!.backend).toBe(B);
    });
    expect(net.x.backend).toBe(B); // data made before the switch moves as well
  });

  it('moves an existing gradient along, and backward accumulates into it', () => {
    setBackend(A.name);
    const w = tensor([1, 2, 3], undefined, { requiresGrad: true });
    w.mul(2).sum().backward(); // grad 2 on the old backend
    expect(w.grad!.backend).toBe(A);
    setBackend(B.name);
    const y = w.mul(tensor([1, 10, 100])).sum();
    expect(w.backend).toBe(B);
    expect(w.grad!.backend).toBe(B);
    y.backward();
    expect(w.grad!.toArray()).toEqual([3, 12, 102]);
  });

  it('runs an op on the active backend when its inputs disagree, whichever comes first', () => {
    setBackend(A.name);
    const w = tensor([1, 2], undefined, { requiresGrad: true });
    setBackend(B.name);
    const x = tensor([3, 4]);
    const out = w.mul(x); // the old backend's tensor first: it must not drag the op there
    expect(out.backend).toBe(B);
    expect(w.backend).toBe(B);
    expect(out.toArray()).toEqual([3, 8]);
    // Neither input on the active backend: still the active one.
    setBackend(A.name);
    const a = tensor([1]);
    setBackend(B.name);
    const b = tensor([2]);
    setBackend('cpu');
    expect(a.add(b).backend).toBe(cpuBackend);
  });

  it('finishes a computation where it started: a graph on the old backend keeps its backend', () => {
    setBackend(A.name);
    const w = tensor([-1, 2, 3], undefined, { requiresGrad: true });
    const h = w.mul(w);
    const expected = w.mul(w).relu().sum();
    expected.backward();
    const grad = w.grad!.toArray();
    w.grad = null;
    setBackend(B.name);
    const y = h.relu().sum(); // h was computed on A: the op stays there
    expect(y.backend).toBe(A);
    expect(w.backend).toBe(A);
    y.backward(); // and backward, started after the switch, still gives the right gradient
    expect(w.grad!.toArray()).toEqual(grad);
    expect(grad).toEqual([-2, 4, 6]);
  });

  it('refuses to cut a computed tensor from the graph, naming both backends', () => {
    setBackend(A.name);
    const w = tensor([1, 2], undefined, { requiresGrad: true });
    const h = w.mul(3); // computed on A, and needs a gradient
    setBackend(B.name);
    const x = tensor([1, 1]);
    expect(() => x.add(h)).toThrow(
      'add: input 1 (shape [2]) is on the "test-a" backend but the op runs on "test-b", and it was computed by an op that records gradients, so it cannot be moved without cutting it from the graph. Build the network and run its forward pass after the "test-b" backend is initialised (parameters and data made before it move by themselves), or finish this computation where it started (setBackend("test-a")).',
    );
    // Without recording, a copy is as good: h itself stays where it is.
    const sum = noGrad(() => x.add(h));
    expect(sum.toArray()).toEqual([4, 7]);
    expect(sum.backend).toBe(B);
    expect(h.backend).toBe(A);
    expect(getBackend()).toBe(B);
  });
});
