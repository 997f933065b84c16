import { keep, noGrad, scope, type Tensor, tensor } from '@scratchnet/tensor';

/** Options every optimizer shares. */
export interface OptimizerOptions {
  /** The learning rate (default 0.01, the book's SGD default; Adam's is 0.001). */
  lr?: number;
  /**
   * L2 weight decay λ: λ·w is added to each gradient (for AdamW, the decoupled form). The book's
   * weight decay adds ½λΣW² to the loss, which gives the same gradient.
   */
  weightDecay?: number;
}

/**
 * What an optimizer saves so that a run can resume exactly: hyperparameters, the step count, and
 * one tensor per parameter and slot (named `<paramIndex>.<slot>`, e.g. `0.exp_avg`).
 */
export interface OptimizerState {
  /** The optimizer's `typeName` (`'Adam'`): `loadStateDict` refuses another's state. */
  type: string;
  /** lr, weightDecay and the optimizer's own (momentum, eps, beta1, …), as numbers. */
  hyperparameters: Record<string, number>;
  /** Steps taken so far. */
  step: number;
  /** Per-parameter state (momentum buffers, moments), by `<paramIndex>.<slot>`. */
  slots: Record<string, Tensor>;
}

/**
 * The shared part of every optimizer (the book's chapter 6.1 classes): it holds the parameters,
 * keeps per-parameter state in named slots, and applies `update` to each parameter that has a
 * gradient. Updates run without recording gradients and replace the parameters' values in place.
 */
export abstract class Optimizer {
  /** The parameters it updates, in the order given. */
  readonly params: Tensor[];
  /** The learning rate; schedules change it between steps. */
  lr: number;
  /** The L2 weight decay λ (0: none). */
  weightDecay: number;
  /** Steps taken so far (Adam's bias correction uses it). */
  stepCount = 0;
  private readonly slots = new Map<string, Tensor>();

  /**
   * The name saved in `stateDict().type`, checked by `loadStateDict` and used in errors: the
   * class's own static `typeName` ('Adam'), which a minifier keeps, unlike the class's name
   * (`jn`); a subclass without its own falls back to its constructor's name. The library's names
   * equal its class names, so states saved before these names existed still load.
   */
  get typeName(): string {
    const type = this.constructor as { typeName?: unknown };
    return Object.hasOwn(type, 'typeName') && typeof type.typeName === 'string'
      ? type.typeName
      : this.constructor.name;
  }

  /**
   * An optimizer over `params` (a module's `parameters()`, usually).
   *
   * @param options - The learning rate and weight decay: see {@link OptimizerOptions}.
   */
  constructor(params: Iterable<Tensor>, { lr = 0.01, weightDecay = 0 }: OptimizerOptions = {}) {
    this.params = [...params];
    this.lr = lr;
    this.weightDecay = weightDecay;
    for (const [name, value] of [
      ['lr', lr],
      ['weightDecay', weightDecay],
    ] as const) {
      if (!(value >= 0))
        throw new RangeError(`${this.typeName}: ${name} must be ≥ 0, got ${value}`);
    }
  }

  /** Updates one parameter given its gradient; `slot` reads and writes its per-parameter state. */
  protected abstract update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor;

  /** Hyperparameters beyond lr and weight decay, for `stateDict()`. */
  protected abstract extraHyperparameters(): Record<string, number>;

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    noGrad(() => {
      this.params.forEach((param, index) => {
        const grad = param.grad;
        if (!grad) return;
        const slots: SlotAccess = {
          get: (name) => this.slots.get(`${index}.${name}`),
          set: (name, value) => this.setSlot(`${index}.${name}`, value),
        };
        // The update's temporaries go at once; its slots are kept, the slots they replace freed.
        scope(() => param.assign(this.update(param, grad, slots)));
      });
    });
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /**
   * Stores a slot in a handle of the optimizer's own (the value may be the gradient itself, which
   * `zeroGrad` frees, or an update's temporary, which its scope frees), freeing the one replaced.
   */
  private setSlot(key: string, value: Tensor): void {
    const previous = this.slots.get(key);
    this.slots.set(key, keep(value.detach()));
    previous?.dispose();
  }

  /**
   * Frees the optimizer's slots (momentum, Adam's moments): for an optimizer that is done with.
   * A later `step()` starts them afresh, as a new optimizer would.
   */
  dispose(): void {
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
  }

  /**
   * Everything needed to resume exactly: hyperparameters, step count and slots (saved in
   * checkpoints). The slot tensors are the caller's: they keep this moment's values after later
   * steps, and the caller disposes them when done (a checkpoint writer, once written).
   */
  stateDict(): OptimizerState {
    return {
      type: this.typeName,
      hyperparameters: {
        lr: this.lr,
        weightDecay: this.weightDecay,
        ...this.extraHyperparameters(),
      },
      step: this.stepCount,
      // Handles of the caller's own on the slots' buffers: the next step replaces the slots
      // (freeing the optimizer's handles), while these keep the values of this moment.
      slots: Object.fromEntries([...this.slots].map(([name, slot]) => [name, slot.detach()])),
    };
  }

  /** Restores what `stateDict()` saved; the parameters must be the same, in the same order. */
  loadStateDict(state: OptimizerState): void {
    if (state.type !== this.typeName) {
      throw new Error(`${this.typeName}.loadStateDict: the state was saved by ${state.type}`);
    }
    for (const [name, value] of Object.entries(state.slots)) {
      const index = Number(name.split('.')[0]);
      const param = this.params[index];
      // A slot is shaped like its parameter, or a 0-d counter (Adam's per-parameter step).
      if (!param || (value.size !== param.size && value.rank !== 0)) {
        throw new Error(
          `${this.typeName}.loadStateDict: slot "${name}" does not fit parameter ${index}`,
        );
      }
    }
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
    for (const [name, value] of Object.entries(state.slots)) this.setSlot(name, value);
    this.stepCount = state.step;
    const { lr, weightDecay, ...extra } = state.hyperparameters;
    this.lr = lr ?? this.lr;
    this.weightDecay = weightDecay ?? this.weightDecay;
    this.loadExtraHyperparameters(extra);
  }

  /**
   * Restores the hyperparameters of `extraHyperparameters()` from a saved state; a subclass with
   * its own overrides it.
   */
  protected loadExtraHyperparameters(_extra: Record<string, number>): void {}

  /** The gradient with L2 weight decay folded in (coupled decay, as torch.optim's weight_decay). */
  protected decayed(param: Tensor, grad: Tensor): Tensor {
    return this.weightDecay === 0 ? grad : grad.add(param.mul(this.weightDecay));
  }
}

/** Reads and writes one parameter's slots (its share of the optimizer's state), for `update`. */
export interface SlotAccess {
  /** The slot `name` of this parameter, or undefined before it is first set. */
  get(name: string): Tensor | undefined;
  /** Replaces the slot `name` of this parameter. */
  set(name: string, value: Tensor): void;
}

/** A zero tensor shaped like `like`, for slots that start empty. */
export function zerosLike(like: Tensor): Tensor {
  return tensor(new Float32Array(like.size), like.shape);
}
