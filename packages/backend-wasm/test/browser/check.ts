/**
 * One fixed computation, run the same way in Node and in the browser page (test/browser/entry.ts):
 * a SimpleConvNet built from seed 0, a forward pass and Adam steps on a fixed batch, and
 * optionally the median time of a training step of batch 100.
 */

// By the package's name: Node (the test) gets the node entry, the page's bundle the browser one.
import { initWasmBackend, type KernelVariant } from '@scratchnet/backend-wasm';
import { SimpleConvNet } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import { manualSeed, noGrad, randn } from '@scratchnet/tensor';

export interface CheckOptions {
  variant?: KernelVariant;
  threads: number;
  /** Also time this many training steps of batch 100 (after 3 warm-up steps). */
  timedSteps?: number;
}

export interface CheckResult {
  variant: KernelVariant;
  threads: number;
  /** Logits of the fixed batch of 8 before training. */
  logits: number[];
  /** Losses of three Adam steps on it. */
  losses: number[];
  /** The first values of every parameter after those steps. */
  params: number[];
  /** Median ms of a SimpleConvNet training step of batch 100 (if timed). */
  stepMs: number | null;
}

const tick = () => new Promise<void>((done) => setTimeout(done, 0));

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const backend = await initWasmBackend({ threads: options.threads, variant: options.variant });
  try {
    manualSeed(0);
    const net = new SimpleConvNet();
    const x = randn([8, 1, 28, 28]);
    const labels = [0, 1, 2, 3, 4, 5, 6, 7];
    const logits = Array.from(noGrad(() => net.forward(x)).dataSync());
    const optimizer = new Adam(net.parameters());
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      optimizer.zeroGrad();
      const loss = net.loss(x, labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    const params = net.parameters().flatMap((p) => Array.from(p.dataSync().subarray(0, 8)));
    let stepMs: number | null = null;
    if (options.timedSteps) {
      const big = randn([100, 1, 28, 28]);
      const bigLabels = Array.from({ length: 100 }, (_, i) => i % 10);
      const times: number[] = [];
      for (let i = 0; i < options.timedSteps + 3; i++) {
        const start = performance.now();
        optimizer.zeroGrad();
        const loss = net.loss(big, bigLabels);
        loss.backward();
        optimizer.step();
        loss.item();
        if (i >= 3) times.push(performance.now() - start);
        await tick();
      }
      times.sort((a, b) => a - b);
      stepMs = times[times.length >> 1]!;
    }
    return {
      variant: backend.variant,
      threads: backend.threads,
      logits,
      losses,
      params,
      stepMs,
    };
  } finally {
    await backend.close();
  }
}
