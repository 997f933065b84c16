import { adamStep, tensor as scalar, type Tensor } from '@scratchnet/tensor';
import { Optimizer, type OptimizerOptions, type SlotAccess, zerosLike } from './optimizer.js';

/**
 * W ← W − lr·∂L/∂W (the book's SGD, section 6.1.2).
 *
 * @example
 * const net = new TwoLayerNet({ activation: 'relu' });
 * const optimizer = new SGD(net.parameters(), { lr: 0.1 });
 * optimizer.zeroGrad();
 * net.loss(xBatch, tBatch).backward();
 * optimizer.step();
 */
export class SGD extends Optimizer {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static readonly typeName: string = 'SGD';

  protected update(param: Tensor, grad: Tensor): Tensor {
    return param.sub(this.decayed(param, grad).mul(this.lr));
  }

  protected extraHyperparameters(): Record<string, number> {
    return {};
  }
}

/** Options of `Momentum` and `Nesterov`. */
export interface MomentumOptions extends OptimizerOptions {
  /** The momentum α (the book's `momentum`, 0.9). */
  momentum?: number;
}

/**
 * Momentum SGD. The book writes v ← αv − lr·g, W ← W + v; this is PyTorch's equivalent form
 * b ← αb + g, W ← W − lr·b, which gives the same path while lr is constant and stays right when
 * a schedule changes lr.
 */
export class Momentum extends Optimizer {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static readonly typeName: string = 'Momentum';
  /** The momentum α. */
  momentum: number;

  /** @param options - The momentum and the shared options: see {@link MomentumOptions}. */
  constructor(params: Iterable<Tensor>, { momentum = 0.9, ...options }: MomentumOptions = {}) {
    super(params, options);
    this.momentum = momentum;
  }

  /**
   * Updates and returns the momentum buffer b ← αb + g of one parameter (shared with `Nesterov`).
   */
  protected velocity(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const g = this.decayed(param, grad);
    const previous = slots.get('momentum_buffer');
    // PyTorch starts the buffer at the first gradient.
    const buffer = previous ? previous.mul(this.momentum).add(g) : g;
    slots.set('momentum_buffer', buffer);
    return buffer;
  }

  protected update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    return param.sub(this.velocity(param, grad, slots).mul(this.lr));
  }

  protected extraHyperparameters(): Record<string, number> {
    return { momentum: this.momentum };
  }

  protected override loadExtraHyperparameters(extra: Record<string, number>): void {
    this.momentum = extra.momentum ?? this.momentum;
  }
}

/**
 * Nesterov's accelerated gradient as torch.optim.SGD(nesterov=True): W ← W − lr·(g + α·b).
 * (The book's Nesterov class uses a reparametrised variant with a slightly different path.)
 */
export class Nesterov extends Momentum {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static override readonly typeName: string = 'Nesterov';

  protected override update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const buffer = this.velocity(param, grad, slots);
    return param.sub(this.decayed(param, grad).add(buffer.mul(this.momentum)).mul(this.lr));
  }
}

/** Options of `AdaGrad`: the shared ones and ε. */
export interface EpsOptions extends OptimizerOptions {
  /** Keeps the division finite; the book uses 1e-7. */
  eps?: number;
}

/** AdaGrad: h ← h + g², W ← W − lr·g / (√h + ε). Each weight's step shrinks as it learns. */
export class AdaGrad extends Optimizer {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static readonly typeName: string = 'AdaGrad';
  /** ε, added to √h so that the division stays finite. */
  eps: number;

  /** @param options - ε and the shared options: see {@link EpsOptions}. */
  constructor(params: Iterable<Tensor>, { eps = 1e-7, ...options }: EpsOptions = {}) {
    super(params, options);
    this.eps = eps;
  }

  protected update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const g = this.decayed(param, grad);
    const sum = (slots.get('sum') ?? zerosLike(param)).add(g.square());
    slots.set('sum', sum);
    return param.sub(g.mul(this.lr).div(sum.sqrt().add(this.eps)));
  }

  protected extraHyperparameters(): Record<string, number> {
    return { eps: this.eps };
  }

  protected override loadExtraHyperparameters(extra: Record<string, number>): void {
    this.eps = extra.eps ?? this.eps;
  }
}

/** Options of `RMSprop`. */
export interface RMSpropOptions extends EpsOptions {
  /** The book's decay_rate (PyTorch's alpha). */
  decayRate?: number;
}

/** RMSprop: h ← ρh + (1 − ρ)g², W ← W − lr·g / (√h + ε); old gradients fade out. */
export class RMSprop extends Optimizer {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static readonly typeName: string = 'RMSprop';
  /** ε, added to √h so that the division stays finite. */
  eps: number;
  /** How much of the running average h each step keeps: ρ, the book's `decay_rate`. */
  decayRate: number;

  /** @param options - ε, the decay rate and the shared options: see {@link RMSpropOptions}. */
  constructor(
    params: Iterable<Tensor>,
    { eps = 1e-7, decayRate = 0.99, ...options }: RMSpropOptions = {},
  ) {
    super(params, options);
    this.eps = eps;
    this.decayRate = decayRate;
  }

  protected update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const g = this.decayed(param, grad);
    const previous = slots.get('square_avg') ?? zerosLike(param);
    const squareAvg = previous.mul(this.decayRate).add(g.square().mul(1 - this.decayRate));
    slots.set('square_avg', squareAvg);
    return param.sub(g.mul(this.lr).div(squareAvg.sqrt().add(this.eps)));
  }

  protected extraHyperparameters(): Record<string, number> {
    return { eps: this.eps, decayRate: this.decayRate };
  }

  protected override loadExtraHyperparameters(extra: Record<string, number>): void {
    this.eps = extra.eps ?? this.eps;
    this.decayRate = extra.decayRate ?? this.decayRate;
  }
}

/** Options of `Adam` and `AdamW` (the book's `lr`, `beta1`, `beta2`). */
export interface AdamOptions extends EpsOptions {
  /** Decay rate of the first moment m (default 0.9, as the book). */
  beta1?: number;
  /** Decay rate of the second moment v (default 0.999, as the book). */
  beta2?: number;
  /**
   * Add ε to √v before the bias correction, W ← W − lr·√(1−β2ᵗ)/(1−β1ᵗ)·m / (√v + ε): the book's
   * Adam (common/optimizer.py) and Keras's (its "ε̂" of Kingma & Ba, section 2). Default false:
   * ε is added to √v̂, as torch.optim.Adam does. The two differ only while 1−β2ᵗ is small, i.e. in
   * the first few thousand steps, and only for weights whose gradients are about as small as ε.
   */
  epsBeforeCorrection?: boolean;
}

/**
 * The step counts behind Adam's 0-d `step` slots, kept on the host so that a training step never
 * reads one back from the backend (a slot loaded from a checkpoint is read once).
 */
const hostStepCounts = new WeakMap<object, number>();

// Keyed by the slot's buffer, which the handles on it share (the optimizer keeps its own).
function stepTensor(t: number): Tensor {
  const slot = scalar(t);
  hostStepCounts.set(slot.data as object, t);
  return slot;
}

function stepCount(slot: Tensor | undefined): number {
  if (!slot) return 0;
  let t = hostStepCounts.get(slot.data as object);
  if (t === undefined) {
    t = slot.item();
    hostStepCounts.set(slot.data as object, t);
  }
  return t;
}

/**
 * Adam (Kingma & Ba; the book's section 6.1.6) with torch.optim.Adam's update rule: moment
 * estimates with bias correction, W ← W − lr·m̂ / (√v̂ + ε). ε defaults to the book's 1e-7 (and
 * Keras's); torch.optim.Adam's is 1e-8: pass `eps: 1e-8` to match it to the bit.
 * `epsBeforeCorrection: true` gives the book's form of the update instead.
 *
 * @example
 * const optimizer = new Adam(net.parameters()); // lr 0.001, as the book's default
 * const book = new Adam(net.parameters(), { lr: 0.001, eps: 1e-7, epsBeforeCorrection: true });
 * // each training step: optimizer.zeroGrad(); loss.backward(); optimizer.step();
 */
export class Adam extends Optimizer {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static readonly typeName: string = 'Adam';
  /** ε in the denominator. */
  eps: number;
  /** Decay rate of the first moment m. */
  beta1: number;
  /** Decay rate of the second moment v. */
  beta2: number;
  /** Whether ε is added before the bias correction, as the book does (see `AdamOptions`). */
  epsBeforeCorrection: boolean;

  /** @param options - lr (default 0.001), β1, β2, ε and where ε goes: see {@link AdamOptions}. */
  constructor(
    params: Iterable<Tensor>,
    {
      lr = 0.001,
      eps = 1e-7,
      beta1 = 0.9,
      beta2 = 0.999,
      epsBeforeCorrection = false,
      ...options
    }: AdamOptions = {},
  ) {
    super(params, { lr, ...options });
    this.eps = eps;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsBeforeCorrection = epsBeforeCorrection;
  }

  /** The gradient Adam's moments see: with coupled weight decay for Adam, without for AdamW. */
  protected momentGradient(param: Tensor, grad: Tensor): Tensor {
    return this.decayed(param, grad);
  }

  protected update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const g = this.momentGradient(param, grad);
    const m0 = slots.get('exp_avg') ?? zerosLike(param);
    const v0 = slots.get('exp_avg_sq') ?? zerosLike(param);
    // Steps are counted per parameter, as torch.optim does: a parameter without a gradient on
    // some step keeps its own bias correction.
    const t = stepCount(slots.get('step')) + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    // ε on √v is ε/√(1−β2ᵗ) on √v̂, so one update rule serves both forms.
    const eps = this.epsBeforeCorrection ? this.eps / Math.sqrt(correction2) : this.eps;
    // The core's fused op: one kernel where the backend has it, the same primitives elsewhere.
    const {
      param: updated,
      m,
      v,
    } = adamStep(param, g, m0, v0, {
      beta1: this.beta1,
      beta2: this.beta2,
      lr: this.lr,
      eps,
      correction1,
      correction2,
    });
    slots.set('exp_avg', m);
    slots.set('exp_avg_sq', v);
    slots.set('step', stepTensor(t));
    return updated;
  }

  protected extraHyperparameters(): Record<string, number> {
    return {
      eps: this.eps,
      beta1: this.beta1,
      beta2: this.beta2,
      epsBeforeCorrection: this.epsBeforeCorrection ? 1 : 0,
    };
  }

  protected override loadExtraHyperparameters(extra: Record<string, number>): void {
    this.eps = extra.eps ?? this.eps;
    this.beta1 = extra.beta1 ?? this.beta1;
    this.beta2 = extra.beta2 ?? this.beta2;
    // States saved before the option existed used ε on √v̂.
    this.epsBeforeCorrection = (extra.epsBeforeCorrection ?? 0) === 1;
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, W ← W − lr·λ·W applied
 * directly instead of through the gradient. Default λ 0.01 as in PyTorch.
 */
export class AdamW extends Adam {
  /** The name `stateDict()` saves, kept by minifiers (see {@link Optimizer.typeName}). */
  static override readonly typeName: string = 'AdamW';

  /** @param options - As Adam's, with weight decay 0.01 by default: see {@link AdamOptions}. */
  constructor(params: Iterable<Tensor>, { weightDecay = 0.01, ...options }: AdamOptions = {}) {
    super(params, { weightDecay, ...options });
  }

  protected override momentGradient(_param: Tensor, grad: Tensor): Tensor {
    return grad;
  }

  protected override update(param: Tensor, grad: Tensor, slots: SlotAccess): Tensor {
    const decayed = this.weightDecay === 0 ? param : param.mul(1 - this.lr * this.weightDecay);
    return super.update(decayed, grad, slots);
  }
}
