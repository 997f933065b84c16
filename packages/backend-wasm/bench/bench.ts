/**
 * `pnpm bench` for @scratchnet/backend-wasm: scratchnet (reference backend; wasm on 1 and 2
 * threads), TF.js 4.22 (cpu and wasm backends) and PyTorch (bench/torch_bench.py) side by side,
 * on the same cases, in one run. Medians after warm-up; ratios to PyTorch; rows as JSON.
 *
 *   pnpm bench                                   # everything
 *   pnpm bench --impl wasm-2,pytorch --case simple-train
 *   pnpm bench --json results.json --runs 30 --warmup-seconds 5
 *
 * Node 20 needs --experimental-wasm-relaxed-simd for the relaxed-SIMD kernels; this script turns
 * it on for itself (as the trainer app may), so the wasm rows use the fastest build.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const { DeepConvNet, SimpleConvNet } = await import('@scratchnet/layers');
const { Adam } = await import('@scratchnet/optimizers');
const { getBackend, manualSeed, noGrad, randn, setBackend } = await import('@scratchnet/tensor');
const { initWasmBackend } = await import('../src/node.js');

const ALL_IMPLS = ['cpu', 'wasm-1', 'wasm-2', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'] as const;
const ALL_CASES = [
  'simple-train',
  'simple-infer',
  'deep-train',
  'deep-infer',
  'gemm-256',
  'gemm-1024',
  'gemm-conv-simple',
  'gemm-conv-deep',
] as const;
type Case = (typeof ALL_CASES)[number];

/** (m, k, n, transB): the conv shapes are the im2col GEMMs of SimpleConvNet's conv and DeepConvNet's second conv. */
const GEMMS: Record<string, [number, number, number, boolean]> = {
  'gemm-256': [256, 256, 256, false],
  'gemm-1024': [1024, 1024, 1024, false],
  'gemm-conv-simple': [57_600, 25, 30, true],
  'gemm-conv-deep': [78_400, 144, 16, true],
};

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const pick = <T extends string>(all: readonly T[], value: string | undefined): T[] =>
  value ? all.filter((x) => value.split(',').includes(x)) : [...all];
const impls = pick(ALL_IMPLS, option('impl'));
const cases = pick(ALL_CASES, option('case'));
const runs = Number(option('runs') ?? 15);
const warmupSeconds = Number(option('warmup-seconds') ?? 2);
const jsonPath = option('json') ?? 'bench-results.json';

interface Row {
  case: string;
  impl: string;
  threads: number;
  medianMs: number | null;
  note?: string;
}
const rows: Row[] = [];
const tick = () => new Promise<void>((done) => setImmediate(done));

/**
 * Median of `runs` timed calls after a warm-up of at least 3 calls and `warmupSeconds` (default
 * 2 s): a training loop runs thousands of steps, so the figure that matters is the steady state,
 * after the JIT has settled and the wasm heap has stopped growing (fresh pages cost page faults).
 * Yields between calls as a training loop does.
 */
async function medianMs(fn: () => void, count = runs): Promise<number> {
  const warmupStart = performance.now();
  for (let i = 0; i < 3 || performance.now() - warmupStart < warmupSeconds * 1000; i++) {
    fn();
    await tick();
  }
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
    await tick();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const labels = Array.from({ length: 100 }, (_, i) => i % 10);

async function scratchnetCase(c: Case, count = runs): Promise<number> {
  const gemm = GEMMS[c];
  if (gemm) {
    const [m, k, n, transB] = gemm;
    const backend = getBackend();
    const a = randn([m, k]).data;
    const b = randn(transB ? [n, k] : [k, n]).data;
    const spec = { batch: 1, m, k, n, transA: false, transB };
    return medianMs(() => backend.read(backend.matmul(a, b, spec), 1), Math.max(5, count));
  }
  manualSeed(0);
  const net = c.startsWith('simple') ? new SimpleConvNet() : new DeepConvNet();
  const x = randn([100, 1, 28, 28]);
  if (c.endsWith('infer')) {
    net.eval();
    return medianMs(() => noGrad(() => net.forward(x).dataSync()), count);
  }
  const optimizer = new Adam(net.parameters());
  return medianMs(() => {
    optimizer.zeroGrad();
    const loss = net.loss(x, labels);
    loss.backward();
    optimizer.step();
    loss.item();
  }, count);
}

async function tfjsCase(backendName: 'cpu' | 'wasm', c: Case): Promise<number> {
  const tf = await import('@tensorflow/tfjs');
  if (backendName === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(backendName);
  await tf.ready();
  const gemm = GEMMS[c];
  if (gemm) {
    const [m, k, n, transB] = gemm;
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal(transB ? [n, k] : [k, n]);
    return medianMs(() => {
      const out = tf.matMul(a, b, false, transB);
      out.dataSync();
      out.dispose();
    }, 5);
  }
  const simple = c.startsWith('simple');
  const model = tf.sequential();
  if (simple) {
    model.add(
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 30, kernelSize: 5, activation: 'relu' }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10 }));
  } else {
    const spec: [number, 'same' | 'valid', boolean][] = [
      [16, 'same', false],
      [16, 'same', true],
      [32, 'same', false],
      [32, 'same', true],
      [64, 'same', false],
      [64, 'same', true],
    ];
    spec.forEach(([filters, padding, pool], i) => {
      model.add(
        tf.layers.conv2d({
          ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
          filters,
          kernelSize: 3,
          padding,
          activation: 'relu',
        }),
      );
      // DeepConvNet's fourth conv pads by 2 (14 → 16); TF.js has no such padding, so the 'same'
      // conv is followed by a zero padding of 1 to keep the shapes (and FLOPs) alike.
      if (i === 3) model.add(tf.layers.zeroPadding2d({ padding: 1 }));
      if (pool) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    });
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 50, activation: 'relu' }));
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(tf.layers.dense({ units: 10 }));
  }
  const x = tf.randomNormal([100, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  if (c.endsWith('infer')) {
    return medianMs(
      () => {
        const out = model.predict(x) as import('@tensorflow/tfjs').Tensor;
        out.dataSync();
        out.dispose();
      },
      Math.min(runs, 5),
    );
  }
  const optimizer = tf.train.adam(0.001);
  return medianMs(
    () => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as never),
        true,
      );
      loss?.dataSync();
      loss?.dispose();
    },
    Math.min(runs, 3),
  );
}

function pytorchCases(list: Case[]): Row[] {
  try {
    const out = execFileSync('/usr/bin/python3', ['bench/torch_bench.py', ...list], {
      env: {
        ...process.env,
        BENCH_RUNS: String(runs),
        BENCH_WARMUP_SECONDS: String(warmupSeconds),
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Row);
  } catch (error) {
    return list.map((c) => ({
      case: c,
      impl: 'pytorch',
      threads: 2,
      medianMs: null,
      note: `not run: ${(error as Error).message.split('\n')[0]}`,
    }));
  }
}

for (const impl of impls) {
  if (impl === 'pytorch') {
    rows.push(...pytorchCases(cases));
    continue;
  }
  let threads = 1;
  let label: string = impl;
  let wasm: Awaited<ReturnType<typeof initWasmBackend>> | null = null;
  if (impl.startsWith('wasm')) {
    threads = Number(impl.split('-')[1]);
    wasm = await initWasmBackend({ threads });
    label = `scratchnet-wasm-${wasm.variant}`;
  } else if (impl === 'cpu') {
    setBackend('cpu');
    label = 'scratchnet-cpu';
  }
  for (const c of cases) {
    let medianMs: number | null = null;
    let note: string | undefined;
    try {
      if (impl === 'tfjs-cpu') medianMs = await tfjsCase('cpu', c);
      else if (impl === 'tfjs-wasm') medianMs = await tfjsCase('wasm', c);
      else if (impl === 'cpu' && (c === 'deep-train' || c === 'gemm-1024')) {
        // The reference backend takes minutes here; a few runs are enough.
        medianMs = await scratchnetCase(c, 3);
      } else medianMs = await scratchnetCase(c);
    } catch (error) {
      note = `cannot run: ${(error as Error).message.split('\n')[0]}`;
    }
    const row: Row = { case: c, impl: label, threads, medianMs, ...(note ? { note } : {}) };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  if (wasm) {
    setBackend('cpu');
    await wasm.close();
  }
}

writeFileSync(jsonPath, `${JSON.stringify(rows, null, 2)}\n`);

// The table: one line per (case, implementation); ratio = time / PyTorch's time (lower is faster).
const torch = new Map(rows.filter((r) => r.impl === 'pytorch').map((r) => [r.case, r.medianMs]));
const lines = rows.map((r) => {
  const gemm = GEMMS[r.case];
  const gflops =
    gemm && r.medianMs ? ((2 * gemm[0] * gemm[1] * gemm[2]) / r.medianMs / 1e6).toFixed(1) : '';
  const base = torch.get(r.case);
  const ratio = r.medianMs && base ? (r.medianMs / base).toFixed(2) : '';
  return [
    r.case,
    r.impl,
    String(r.threads),
    r.medianMs === null ? '—' : r.medianMs.toFixed(2),
    gflops,
    ratio,
    r.note ?? '',
  ];
});
const header = ['case', 'impl', 'threads', 'median ms', 'GFLOP/s', '× PyTorch', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(format(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const line of lines) console.log(format(line));
console.log(`\nrows written to ${jsonPath}`);
