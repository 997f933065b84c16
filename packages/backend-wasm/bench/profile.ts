/**
 * Where a training step's time goes: wraps every method of the wasm backend with a timer and
 * prints the time per step in each (by op, and by shape for matmul), plus the time outside the
 * backend (autograd, shape checks, JS glue) and the heap's statistics.
 *
 *   pnpm --filter @scratchnet/backend-wasm profile:step --model simple --threads 2 --warmup 100
 *
 * Options: --model simple|deep, --threads N, --steps N (timed, default 20), --warmup N (steps
 * before timing, default 3; a hundred reach the steady state of a long run), --spin MS,
 * --min-elementwise N and --min-window N (the backend's thresholds for splitting work).
 */
import type { MatmulSpec } from '@scratchnet/tensor';

const { DeepConvNet, SimpleConvNet } = await import('@scratchnet/layers');
const { Adam } = await import('@scratchnet/optimizers');
const { getBackend, manualSeed, randn, setBackend } = await import('@scratchnet/tensor');
const { initWasmBackend } = await import('../src/node.js');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
const model = option('model', 'simple');
const threads = Number(option('threads', '1'));
const steps = Number(option('steps', '20'));
await initWasmBackend({
  threads,
  spinMs: Number(option('spin', '1')),
  minParallelWork: {
    elementwise: Number(option('min-elementwise', String(1 << 16))),
    window: Number(option('min-window', String(1 << 15))),
  },
});
setBackend('wasm');
const backend = getBackend() as unknown as Record<string, unknown>;
const totals = new Map<string, { ms: number; calls: number }>();
let depth = 0;
for (const name of Object.keys(backend)) {
  const fn = backend[name];
  if (typeof fn !== 'function' || name === 'stats' || name === 'close') continue;
  backend[name] = (...args: unknown[]) => {
    if (depth > 0) return (fn as (...a: unknown[]) => unknown)(...args);
    depth++;
    const start = performance.now();
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } finally {
      depth--;
      const key =
        name === 'matmul'
          ? `matmul ${shapeKey(args[2])}`
          : name === 'unary' || name === 'binary' || name === 'reduce'
            ? `${name} ${String(args[0])}`
            : name;
      const entry = totals.get(key) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls++;
      totals.set(key, entry);
    }
  };
}
function shapeKey(spec: unknown): string {
  const s = spec as MatmulSpec;
  return `${s.batch}×${s.m}×${s.k}×${s.n}${s.transA ? ' tA' : ''}${s.transB ? ' tB' : ''}`;
}
manualSeed(0);
const net = model === 'simple' ? new SimpleConvNet() : new DeepConvNet();
const x = randn([100, 1, 28, 28]);
const labels = Array.from({ length: 100 }, (_, i) => i % 10);
const optimizer = new Adam(net.parameters());
const step = () => {
  optimizer.zeroGrad();
  const loss = net.loss(x, labels);
  loss.backward();
  optimizer.step();
  loss.item();
};
const tick = () => new Promise<void>((done) => setImmediate(done));
// Yield between steps as a training loop does, so finalizers can return freed blocks.
for (let i = 0; i < Number(option('warmup', '3')); i++) {
  step();
  await tick();
}
totals.clear();
let elapsed = 0;
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  step();
  elapsed += performance.now() - start;
  await tick();
}
const wall = elapsed / steps;
const heapStats = (getBackend() as unknown as { stats(): Record<string, number> }).stats();
let inside = 0;
const rows = [...totals].map(([k, v]) => ({ k, ms: v.ms / steps, calls: v.calls / steps }));
rows.sort((a, b) => b.ms - a.ms);
for (const r of rows) inside += r.ms;
console.log(
  `${model}, ${threads} thread(s): ${wall.toFixed(2)} ms per step; backend ${inside.toFixed(2)} ms, outside ${(wall - inside).toFixed(2)} ms`,
);
console.log(
  `heap: ${(heapStats.memoryBytes! / 2 ** 20).toFixed(0)} MiB of memory, ${(heapStats.liveBytes! / 2 ** 20).toFixed(0)} MiB live, ${heapStats.evictions} evictions`,
);
for (const r of rows)
  console.log(`${r.ms.toFixed(3).padStart(8)} ms  ${String(r.calls).padStart(4)}×  ${r.k}`);
process.exit(0);
