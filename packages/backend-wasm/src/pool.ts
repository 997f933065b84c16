/**
 * A pool of workers that run kernels on the backend's shared memory: worker_threads in Node, Web
 * Workers in browsers. Each worker has a control block in the shared memory (a job counter, a
 * done counter, the kernel and its arguments); the calling thread posts a job by bumping the
 * counter, does its own share, then waits for the done counters. Idle workers spin for a short
 * while (jobs come in bursts during a training step) and then sleep in `Atomics.wait`, so an
 * idle pool costs nothing.
 */

/** Kernels a worker can run, by index in the control block. */
export const POOL_KERNELS = [
  'gemm',
  'im2col',
  'col2im',
  'conv2dForward',
  'conv2dInputGrad',
  'conv2dFilterGrad',
  'conv2dWinograd',
  'conv2dWinogradFilterGrad',
  'conv2dWinograd4',
  'conv2dWinograd4FilterGrad',
  'maxPool',
  'avgPool',
  'unary',
  'binary',
  'addInto',
  'adam',
] as const;
export type PoolKernel = (typeof POOL_KERNELS)[number];

/** Int32 slots of a control block: [job, done, kernel, argc, args…]. */
export const CONTROL_SLOTS = 32;
const MAX_ARGS = CONTROL_SLOTS - 4;

/** The worker's loop, shared by the Node and browser wrappers (kept as source text). */
export const workerLoop = `
function runPool(module, memory, control, spinMs, names) {
  const kernels = new WebAssembly.Instance(module, {
    env: { memory, abort() { throw new Error('backend-wasm: a kernel aborted'); } },
  }).exports;
  const ctl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
  let seen = 0;
  const args = [];
  return () => {
    for (;;) {
      let spins = 0;
      let start = 0;
      while (Atomics.load(ctl, 0) === seen) {
        if (++spins % 1024 === 0) {
          const now = performance.now();
          if (start === 0) start = now;
          else if (now - start > spinMs) {
            Atomics.wait(ctl, 0, seen);
            spins = 0;
            start = 0;
          }
        }
      }
      seen = Atomics.load(ctl, 0);
      const kernel = ctl[2];
      if (kernel < 0) return;
      const argc = ctl[3];
      args.length = argc;
      for (let i = 0; i < argc; i++) args[i] = ctl[4 + i] >>> 0;
      kernels[names[kernel]](...args);
      Atomics.store(ctl, 1, seen);
      Atomics.notify(ctl, 1);
    }
  };
}
`;

/** A started worker, as the pool needs it. */
export interface PoolWorker {
  terminate(): unknown;
}

export class WorkerPool {
  /** Worker i's control block as an Int32Array over the shared memory. */
  private readonly controls: Int32Array[];
  private readonly workers: PoolWorker[];
  private job = 0;
  private readonly pending = new Set<number>();

  private constructor(workers: PoolWorker[], controls: Int32Array[]) {
    this.workers = workers;
    this.controls = controls;
  }

  /** Number of workers (the calling thread is not counted). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `count` workers on `memory` (which must be shared); `controlPtr` points at
   * count × CONTROL_SLOTS int32 slots reserved for them.
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    controlPtr: number,
    count: number,
    startWorker: (data: WorkerData) => Promise<PoolWorker>,
    spinMs = 1,
  ): Promise<WorkerPool> {
    const controls: Int32Array[] = [];
    const started: Promise<PoolWorker>[] = [];
    for (let i = 0; i < count; i++) {
      const control = controlPtr + i * CONTROL_SLOTS * 4;
      controls.push(new Int32Array(memory.buffer, control, CONTROL_SLOTS));
      const data = { module, memory, control, spinMs, names: [...POOL_KERNELS] };
      started.push(startWorker(data));
    }
    return new WorkerPool(await Promise.all(started), controls);
  }

  /** Starts `kernel(args)` on worker `index`; `wait()` returns once every started job is done. */
  post(index: number, kernel: PoolKernel, args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`backend-wasm: ${kernel} has too many arguments`);
    const ctl = this.controls[index]!;
    const job = ++this.job;
    ctl[2] = POOL_KERNELS.indexOf(kernel);
    ctl[3] = args.length;
    for (let i = 0; i < args.length; i++) ctl[4 + i] = args[i]! | 0;
    Atomics.store(ctl, 0, job);
    Atomics.notify(ctl, 0);
    this.pending.add(index);
  }

  /** Waits (spinning: the main thread of a page may not block) for the posted jobs. */
  wait(): void {
    for (const index of this.pending) {
      const ctl = this.controls[index]!;
      const job = Atomics.load(ctl, 0);
      while (Atomics.load(ctl, 1) !== job) {
        // spin: the jobs are a share of one kernel call, as long as the caller's own share
      }
    }
    this.pending.clear();
  }

  /** Stops the workers. */
  async stop(): Promise<void> {
    this.controls.forEach((ctl) => {
      ctl[2] = -1;
      Atomics.store(ctl, 0, ++this.job);
      Atomics.notify(ctl, 0);
    });
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** What a worker is started with. */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  spinMs: number;
  names: string[];
}
