/**
 * Replays a run of the book's algorithm, recorded by scripts/book-simple-convnet.py --record DIR,
 * on scratchnet: the same initial weights (DIR/init.pkl, through the book-pickle importer), the
 * same batches in the same order, Adam with lr 0.001 and ε where the recording put it. Prints each
 * step's loss beside the recorded one, so the two implementations can be compared step by step
 * before float rounding (and then chaos) pulls the runs apart.
 *
 *   OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/book-simple-convnet.py --seed 1 --epochs 1 \
 *     --dtype float32 --data-dir DATA --record runs/book-record-seed1
 *   npx tsx apps/trainer/scripts/replay-book-run.ts runs/book-record-seed1 --steps 100
 *
 * The book adds Adam's ε to √v (`epsBeforeCorrection: true` here); a recording made with
 * `--adam-eps-on sqrt-v-hat` is replayed with ε on √v̂, torch.optim's form and the CLI's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist } from '@scratchnet/datasets/node';
import { Adam } from '@scratchnet/optimizers';
import { importBookParams } from '@scratchnet/serialization';
import { type BackendName, backendNames, useBackend } from '../src/training/backend.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    steps: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'data-dir': { type: 'string' },
  },
});
const dir = positionals[0];
if (!dir)
  throw new Error(
    'usage: replay-book-run.ts DIR [--steps N] [--backend wasm|cpu] [--data-dir DIR]',
  );
const backend = values.backend as BackendName;
if (!backendNames.includes(backend))
  throw new Error(`--backend ${backend}: expected one of ${backendNames.join(', ')}`);
await useBackend(backend, 1);

const recorded = JSON.parse(readFileSync(join(dir, 'losses.json'), 'utf8')) as {
  dtype: string;
  adamEpsOn: string;
  losses: number[];
};
const batches = JSON.parse(readFileSync(join(dir, 'batches.json'), 'utf8')) as number[][];
const steps = Math.min(Number(values.steps ?? batches.length), batches.length);
const network = importBookParams(readFileSync(join(dir, 'init.pkl')), {
  source: join(dir, 'init.pkl'),
});
const dataDir = values['data-dir'];
// The book's load_mnist(normalize=True, flatten=False): pixels / 255, [N, 1, 28, 28].
const { train } = loadMnist({ normalize: true, flatten: false, ...(dataDir ? { dataDir } : {}) });
const optimizer = new Adam(network.parameters(), {
  lr: 0.001,
  epsBeforeCorrection: recorded.adamEpsOn === 'sqrt-v',
});
network.train();

console.log(`recorded in ${recorded.dtype}, Adam's ε on ${recorded.adamEpsOn}`);
console.log('step  book (NumPy)  scratchnet  relative difference');
let worst = 0;
for (let step = 0; step < steps; step++) {
  const { x, labels } = train.dataset.batch(batches[step]!);
  optimizer.zeroGrad();
  const loss = network.loss(x, labels);
  loss.backward();
  optimizer.step();
  const ours = loss.item();
  const book = recorded.losses[step]!;
  const relative = Math.abs(ours - book) / Math.abs(book);
  worst = Math.max(worst, relative);
  // The first steps, every tenth, the last, and any step that stands out.
  if (step < 5 || (step + 1) % 10 === 0 || step === steps - 1 || relative > 1e-3) {
    console.log(
      `${String(step + 1).padStart(4)}  ${book.toFixed(6).padStart(11)}  ${ours.toFixed(6).padStart(10)}  ${relative.toExponential(1)} (worst so far ${worst.toExponential(1)})`,
    );
  }
}
