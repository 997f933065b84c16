import {
  formatShape,
  keep,
  noGrad,
  ShapeError,
  scope,
  shapesEqual,
  type Tensor,
  zeros,
} from '@scratchnet/tensor';
import { Parameter } from './parameter.js';

/**
 * Tensors a forward hook was shown: `pipe` leaves them to the end of the pass. Weak, so that it
 * holds nothing alive.
 */
const seenByHooks = new WeakSet<Tensor>();

/** A module's tensors by PyTorch's dotted names (`conv1.weight`, `bn1.running_mean`), in order. */
export type StateDict = Record<string, Tensor>;

/**
 * Called after a module's forward pass whenever it runs through `apply`, with the module, its
 * input and its output (PyTorch's forward hook). It observes: its return value is ignored. The
 * tensors are valid while the pass runs; the network frees them after it, so a hook that holds
 * one for later copies its values (`dataSync()`) or takes it out of the pass with `keep()`, and
 * disposes it when done.
 */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => void;

/** What `registerForwardHook` returns: `remove()` unregisters that hook (again is a no-op). */
export interface HookHandle {
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

/**
 * The base of every layer and network, as PyTorch's `nn.Module`: it finds its parameters and
 * child modules among its own properties (so `this.conv1 = new Conv2d(…)` names it `conv1`),
 * switches between training and evaluation, and saves and loads its state.
 *
 * @example
 * class TwoLayerNet extends Module {
 *   fc1 = new Linear(784, 50);
 *   fc2 = new Linear(50, 10);
 *   // Children run through `apply`, so hooks on them (and `summary()`) see them.
 *   forward(x: Tensor) { return this.fc2.apply(this.fc1.apply(x).relu()); }
 * }
 * new TwoLayerNet().namedParameters().map(([name]) => name);
 * // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 *
 * Library classes declare a stable name, `static readonly typeName = 'Conv2d'`, which minifiers
 * leave alone (they rename classes); a class without its own falls back to its constructor's name.
 */
export abstract class Module {
  /** True while training: dropout drops and batch norm uses batch statistics. */
  training = true;
  /** Tensors saved with the state but not learned, such as batch norm's running statistics. */
  private readonly buffers = new Map<string, Tensor>();

  /** Hooks run by `apply`, in registration order; each entry is its own object so `remove` is exact. */
  readonly #forwardHooks: { hook: ForwardHook }[] = [];

  /** The computation. A parent calls its children through `apply`, so their hooks run. */
  abstract forward(x: Tensor): Tensor;

  /**
   * Runs `forward(x)`, then every forward hook in registration order, and returns the output: how
   * a module should call a child (PyTorch's `module(x)`, TF.js's `layer.apply(x)`).
   */
  apply(x: Tensor): Tensor {
    // The forward pass's temporaries go when it returns; what backward() needs, its graph keeps.
    const output = scope(() => this.forward(x));
    if (this.#forwardHooks.length === 0) return output;
    seenByHooks.add(x);
    seenByHooks.add(output);
    // A copy: a hook may remove itself (or register another) while they run.
    for (const { hook } of [...this.#forwardHooks]) hook(this, x, output);
    return output;
  }

  /**
   * Runs `steps` in order, each on the output of the one before, and disposes each intermediate
   * output as soon as the next step has used it (the graph keeps what backward() needs): an
   * inference pass holds two activations at a time, not all of them. An output a forward hook saw
   * is left to the end of the pass, so that the hook's caller can still read it then.
   *
   * @example
   * forward(x: Tensor) {
   *   return this.pipe(x, (h) => this.fc1.apply(h), (h) => h.relu(), (h) => this.fc2.apply(h));
   * }
   */
  protected pipe(x: Tensor, ...steps: ((h: Tensor) => Tensor)[]): Tensor {
    let h = x;
    for (const step of steps) {
      const next = step(h);
      if (h !== x && next !== h) this.release(h);
      h = next;
    }
    return h;
  }

  /**
   * Disposes an intermediate result of this module's pass now, unless a forward hook was shown it
   * (then the end of the pass frees it, so that the hook's caller can still read it).
   */
  protected release(t: Tensor): void {
    if (!seenByHooks.has(t)) t.dispose();
  }

  /**
   * Calls `hook(module, input, output)` after each forward pass of this module that runs through
   * `apply` (as every library network and `Sequential` calls its children), until `remove()`.
   *
   * @example
   * const seen: number[][] = [];
   * const handle = net.conv1.registerForwardHook((_m, _x, y) => seen.push([...y.shape]));
   * net.forward(x); // seen: [[batch, 30, 24, 24]]
   * handle.remove();
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    const entry = { hook };
    this.#forwardHooks.push(entry);
    return {
      remove: () => {
        const index = this.#forwardHooks.indexOf(entry);
        if (index >= 0) this.#forwardHooks.splice(index, 1);
      },
    };
  }

  /**
   * Whether a forward hook is registered on this module: a network runs a pair of layers as one
   * fused op (Conv → ReLU) only when no hook on either would miss the output between them.
   */
  hasForwardHooks(): boolean {
    return this.#forwardHooks.length > 0;
  }

  /**
   * The name shown by `summary()` and in errors: the class's own static `typeName` (a string a
   * minifier keeps), else its constructor's name (which a minifier may shorten to `jn`). Only an
   * own static counts, so `class Swish extends ReLU {}` is `Swish`, not `ReLU`.
   */
  get typeName(): string {
    const type = this.constructor as { typeName?: unknown };
    return Object.hasOwn(type, 'typeName') && typeof type.typeName === 'string'
      ? type.typeName
      : this.constructor.name;
  }

  /** This module's dotted name in the model that holds it, once that model has named its layers. */
  #pathName: string | undefined;
  #named = false;

  /** How errors name this layer: `conv1 (Conv2d)` inside a network, `Conv2d` alone. */
  get label(): string {
    return this.#pathName ? `${this.#pathName} (${this.typeName})` : this.typeName;
  }

  /**
   * Gives every module below this one its dotted name (`conv1`, `features.0`) for error messages,
   * once; a module already named by an enclosing model keeps its name. Networks do this on their
   * first forward pass.
   */
  protected nameLayers(): void {
    if (this.#named) return;
    this.#named = true;
    for (const [name, module] of this.namedModules()) {
      if (name && module.#pathName === undefined) module.#pathName = name;
    }
  }

  /**
   * Runs `body` (a layer's computation) so that a ShapeError from the tensor ops it calls names
   * this layer: `conv1 (Conv2d): conv2d: input [2, 3, 32, 32] does not fit weight …`.
   */
  protected withLabel<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof ShapeError && !error.message.startsWith(`${this.label}: `)) {
        throw new ShapeError(`${this.label}: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Registers (or replaces) a buffer: state that is saved and loaded but not learned. The module
   * owns it from then on (no scope disposes it) and disposes the one it replaces.
   */
  protected setBuffer(name: string, value: Tensor): void {
    const previous = this.buffers.get(name);
    this.buffers.set(name, keep(value));
    if (previous && previous !== value) previous.dispose();
  }

  /** The buffer registered under `name`; throws if there is none. */
  protected getBuffer(name: string): Tensor {
    const value = this.buffers.get(name);
    if (!value) throw new Error(`${this.typeName}: no buffer named ${name}`);
    return value;
  }

  /** Direct children, by name. Properties holding modules, and arrays of modules (`name.0`, …). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module) out.push([`${key}.${i}`, item]);
        });
      }
    }
    return out;
  }

  /** Every module below this one (itself first, as ''), depth-first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  /** This module's own parameters (not its children's). */
  private ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter(
      (entry): entry is [string, Parameter] => entry[1] instanceof Parameter,
    );
  }

  /**
   * Every parameter of this module and those below it, by dotted name (`fc1.weight`), in the order
   * `stateDict()` uses: what optimizers and serialization see.
   */
  namedParameters(): [string, Parameter][] {
    return this.namedModules().flatMap(([prefix, module]) =>
      module
        .ownParameters()
        .map(([name, p]): [string, Parameter] => [prefix ? `${prefix}.${name}` : name, p]),
    );
  }

  /**
   * Every parameter of this module and those below it: what an optimizer is built over.
   * @example
   * const optimizer = new SGD(net.parameters(), { lr: 0.1 });
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer (running statistics and other saved, unlearned state) of this module and those
   * below it, by dotted name.
   */
  namedBuffers(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, module]) =>
      [...module.buffers].map(([name, b]): [string, Tensor] => [
        prefix ? `${prefix}.${name}` : name,
        b,
      ]),
    );
  }

  /** The number of learned values, as Keras' `count_params()`. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Switches this module and all below it to training mode (or evaluation with `false`). */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /**
   * Switches this module and all below it to evaluation mode: `train(false)`, as PyTorch's
   * `eval()`. Dropout passes everything and batch norm uses its running statistics.
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradients of every parameter before the next backward pass, disposing them (as
   * PyTorch's `zero_grad(set_to_none=True)` lets them go).
   */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /**
   * Frees every parameter (with its gradient) and buffer of this module and those below it, as
   * TF.js's `model.dispose()`: for a model that is done with, so that its buffers do not wait for
   * the garbage collector. The module cannot run afterwards.
   *
   * @example
   * const net = new SimpleConvNet();
   * // … train, save …
   * net.dispose();
   */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }

  /** Parameters and buffers, in PyTorch's order (each module's parameters, then its buffers). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, module] of this.namedModules()) {
      const full = (name: string) => (prefix ? `${prefix}.${name}` : name);
      for (const [name, p] of module.ownParameters()) out[full(name)] = p.detach();
      for (const [name, b] of module.buffers) out[full(name)] = b.detach();
    }
    return out;
  }

  /**
   * Copies values from `state` into this module. Every tensor's shape is checked; with `strict`
   * (the default) a missing or unexpected name is an error too, and the error names them all.
   *
   * @param options - `strict` (default true): also refuse missing and unexpected names.
   */
  loadStateDict(state: StateDict, { strict = true }: { strict?: boolean } = {}): void {
    const problems: string[] = [];
    const expected = new Set<string>();
    for (const [prefix, module] of this.namedModules()) {
      const full = (name: string) => (prefix ? `${prefix}.${name}` : name);
      const check = (name: string, current: Tensor): Tensor | undefined => {
        const key = full(name);
        expected.add(key);
        const incoming = state[key];
        if (!incoming) {
          if (strict)
            problems.push(`missing tensor "${key}" (shape ${formatShape(current.shape)})`);
          return undefined;
        }
        if (!shapesEqual(incoming.shape, current.shape)) {
          problems.push(
            `tensor "${key}" has shape ${formatShape(incoming.shape)}, but the model expects ${formatShape(current.shape)}`,
          );
          return undefined;
        }
        return incoming;
      };
      for (const [name, p] of module.ownParameters()) {
        const incoming = check(name, p);
        if (incoming) p.assign(incoming);
      }
      for (const [name, b] of module.buffers) {
        const incoming = check(name, b);
        if (incoming) module.setBuffer(name, incoming.detach());
      }
    }
    if (strict) {
      for (const key of Object.keys(state)) {
        if (!expected.has(key)) problems.push(`unexpected tensor "${key}"`);
      }
    }
    if (problems.length > 0) {
      throw new ShapeError(`loadStateDict (${this.typeName}): ${problems.join('; ')}`);
    }
  }

  /**
   * A table of every layer's output shape and parameter count for an input of `inputShape`, as
   * Keras' `summary()`. It runs one forward pass on zeros, in evaluation mode, watching the leaf
   * layers through forward hooks (removed afterwards, even if the pass throws). A leaf that did not
   * run through `apply` is listed below the table.
   */
  summary(inputShape: readonly number[]): string {
    const rows: [string, string, string][] = [];
    const wasTraining = this.training;
    const leaves = this.namedModules().filter(
      ([name, m]) => name !== '' && m.namedChildren().length === 0,
    );
    const ran = new Set<Module>();
    const handles = leaves.map(([name, module]) =>
      module.registerForwardHook((_module, _input, out) => {
        ran.add(module);
        rows.push([
          `${name} (${module.typeName})`,
          formatShape(out.shape),
          module.parameterCount().toLocaleString('en-US'),
        ]);
      }),
    );
    try {
      this.eval();
      noGrad(() => this.forward(zeros(inputShape)));
    } finally {
      for (const handle of handles) handle.remove();
      this.train(wasTraining);
    }
    const header: [string, string, string] = ['Layer (type)', 'Output shape', 'Param #'];
    const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
    const line = (r: [string, string, string]) =>
      `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
    const rule = '─'.repeat(widths[0]! + widths[1]! + widths[2]! + 4);
    const unseen = leaves
      .filter(([, m]) => !ran.has(m))
      .map(([name, m]) => `${name} (${m.typeName})`);
    return [
      `${this.typeName}, input ${formatShape(inputShape)}`,
      rule,
      line(header),
      rule,
      ...rows.map(line),
      rule,
      ...(unseen.length > 0
        ? [`Not shown (unused, or called by forward() instead of apply()): ${unseen.join(', ')}`]
        : []),
      `Total params: ${this.parameterCount().toLocaleString('en-US')}`,
    ].join('\n');
  }
}
