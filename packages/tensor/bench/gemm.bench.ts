/**
 * `pnpm bench` for @scratchnet/tensor: GFLOP/s of the reference backend's GEMM at 256³, 512³ and
 * the SimpleConvNet convolution shape, beside two peers measured in the same run — a naive triple
 * loop and TF.js's CPU backend (tfjs-core 4 + tfjs-backend-cpu, plain JS like ours).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { gemm, manualSeed, randn } from '@scratchnet/tensor';
import { printTable, secondsPerCall } from './timing.js';

interface Case {
  name: string;
  m: number;
  k: number;
  n: number;
  transB: boolean;
}

const cases: Case[] = [
  { name: 'matmul 256³', m: 256, k: 256, n: 256, transB: false },
  { name: 'matmul 512³', m: 512, k: 512, n: 512, transB: false },
  // im2col columns (100·24·24, 1·5·5) times the 30 filters, transposed: SimpleConvNet's conv1.
  { name: 'SimpleConvNet conv (M 57600, K 25, N 30)', m: 57_600, k: 25, n: 30, transB: true },
];

function naiveGemm(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transB: boolean,
) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += a[i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      c[i * n + j] = total;
    }
  }
}

await tf.setBackend('cpu');
manualSeed(0);
const rows: string[][] = [];
for (const { name, m, k, n, transB } of cases) {
  const a = randn([m, k]).dataSync();
  const b = randn(transB ? [n, k] : [k, n]).dataSync();
  const c = new Float32Array(m * n);
  const flops = 2 * m * n * k;
  const ours = secondsPerCall(() =>
    gemm({ a, aOffset: 0, b, bOffset: 0, c, cOffset: 0, m, n, k, transA: false, transB }),
  );
  const naive = secondsPerCall(() => naiveGemm(a, b, c, m, k, n, transB), { rounds: 3 });
  const ta = tf.tensor2d(a, [m, k]);
  const tb = tf.tensor2d(b, transB ? [n, k] : [k, n]);
  const tfjs = secondsPerCall(() => tf.matMul(ta, tb, false, transB).dispose(), { rounds: 3 });
  ta.dispose();
  tb.dispose();
  const gflops = (s: number) => (flops / s / 1e9).toFixed(2);
  rows.push([
    name,
    gflops(ours),
    gflops(naive),
    gflops(tfjs),
    (naive / ours).toFixed(1),
    (tfjs / ours).toFixed(1),
  ]);
}
printTable(
  `GEMM on the reference (plain TypeScript) backend, one thread, Node ${process.version}`,
  [
    'shape',
    'scratchnet GFLOP/s',
    'naive loop GFLOP/s',
    'tfjs-cpu GFLOP/s',
    'vs naive ×',
    'vs tfjs-cpu ×',
  ],
  rows,
);
