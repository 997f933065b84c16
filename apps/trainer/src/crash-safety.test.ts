/**
 * Crash safety: the trainer is killed with SIGKILL (no handler runs, nothing is flushed) at
 * random moments — during training steps, and while a checkpoint is being written — and every
 * time the checkpoint left behind loads, and a resumed run ends with exactly the weights of an
 * uninterrupted one. A tiny MLP run (64 images, 4 steps an epoch, 6 epochs, one checkpoint per
 * epoch) on the reference CPU backend keeps each trial to a few seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, loadModel } from '@scratchnet/serialization';
import { describe, expect, it } from 'vitest';
import { silentReporter } from './training/reporter.js';
import { runTraining, type TrainOptions } from './training/run-training.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

const TRIALS = 20;
const options: Omit<TrainOptions, 'out'> = {
  model: 'mlp',
  dataset: 'mnist',
  epochs: 6,
  batchSize: 16,
  optimizer: 'adam',
  weightDecay: 0,
  seed: 3,
  resume: false,
  trainLimit: 64,
  testLimit: 20,
};
const args = (out: string) => [
  'train',
  '--model',
  'mlp',
  '--backend',
  'cpu',
  '--epochs',
  String(options.epochs),
  '--batch-size',
  String(options.batchSize),
  '--seed',
  String(options.seed),
  '--train-limit',
  String(options.trainLimit),
  '--test-limit',
  String(options.testLimit),
  '-o',
  out,
];

const isTemporaryCheckpoint = (name: string) => /^\.checkpoint\.safetensors\..+\.tmp$/.test(name);

interface Trial {
  /** 'step': killed after a random delay into training; 'write': as a checkpoint write began. */
  kind: 'step' | 'write';
  /** Where the kill landed, as far as the files tell. */
  outcome: 'mid-write' | 'between-writes' | 'before-first-checkpoint' | 'finished';
}

/** A small deterministic generator, so that a failing trial can be run again. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Runs the CLI and SIGKILLs it at the moment `arm` picks; resolves when it is gone. */
function runAndKill(
  out: string,
  arm: (child: ChildProcess, kill: () => void) => void,
): Promise<void> {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args(out)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  arm(child, kill);
  return new Promise((done) => child.on('exit', () => done()));
}

const weightsOf = (path: string) =>
  Object.entries(loadModel(readFileSync(path)).stateDict()).map(
    ([name, t]) => [name, Array.from(t.dataSync())] as const,
  );

describe('SIGKILL at random moments', () => {
  it(`${TRIALS} trials: the last checkpoint loads and --resume ends with the uninterrupted weights`, async () => {
    const referenceOut = mkdtempSync(join(tmpdir(), 'scratchnet-crash-reference-'));
    await runAndKill(referenceOut, () => {});
    const reference = weightsOf(join(referenceOut, 'model.safetensors'));
    const random = lcg(20_261_128);

    const trial = async (index: number): Promise<Trial> => {
      const out = mkdtempSync(join(tmpdir(), `scratchnet-crash-${index}-`));
      const kind: Trial['kind'] = index % 2 === 0 ? 'step' : 'write';
      // Drawn up front so that the trials do not depend on each other's timing.
      const delay = random() * 1200;
      const writeToKill = 1 + Math.floor(random() * options.epochs);
      const extra = random() * 3;
      await runAndKill(out, (child, kill) => {
        if (kind === 'step') {
          // A random moment after training has started (the first progress line).
          let armed = false;
          child.stdout!.on('data', (chunk: Buffer) => {
            if (!armed && /batches/.test(chunk.toString())) {
              armed = true;
              setTimeout(kill, delay);
            }
          });
        } else {
          // As the n-th checkpoint write creates its temporary file, at once or up to 1 ms later.
          let writes = 0;
          const watcher = watch(out, (_event, name) => {
            if (name && isTemporaryCheckpoint(name) && ++writes === writeToKill) {
              // Mostly at once (inside the write), sometimes a moment later (near the rename).
              if (extra < 2) kill();
              else setTimeout(kill, extra - 2);
              watcher.close();
            }
          });
          child.on('exit', () => watcher.close());
        }
      });

      const files = readdirSync(out);
      const checkpointPath = join(out, 'checkpoint.safetensors');
      const outcome: Trial['outcome'] = existsSync(join(out, 'model.safetensors'))
        ? 'finished'
        : files.some(isTemporaryCheckpoint)
          ? 'mid-write'
          : existsSync(checkpointPath)
            ? 'between-writes'
            : 'before-first-checkpoint';
      if (existsSync(checkpointPath)) {
        // The last checkpoint always loads: an atomic rename never leaves half a file.
        const checkpoint = loadCheckpoint(readFileSync(checkpointPath), { source: checkpointPath });
        expect(checkpoint.training.step % 4, `trial ${index}`).toBe(0);
      }
      // Killed before its first checkpoint, there is nothing to resume: --resume says so, and the
      // run starts again in the same folder.
      const resumable = existsSync(checkpointPath);
      if (!resumable) {
        await expect(
          runTraining({ ...options, out, resume: true }, silentReporter),
        ).rejects.toThrow(`--resume: ${checkpointPath} does not exist`);
      }
      const resumed = await runTraining({ ...options, out, resume: resumable }, silentReporter);
      expect(resumed.completed).toBe(true);
      expect(weightsOf(resumed.files.model!), `trial ${index} (${kind}, ${outcome})`).toEqual(
        reference,
      );
      return { kind, outcome };
    };

    const trials: Trial[] = [];
    // Two at a time: one child being killed while the previous trial resumes in-process.
    for (let i = 0; i < TRIALS; i += 2) {
      trials.push(...(await Promise.all([trial(i), trial(i + 1)])));
    }
    const tally = (kind: string) =>
      trials
        .filter((t) => t.kind === kind)
        .reduce<Record<string, number>>((acc, t) => {
          acc[t.outcome] = (acc[t.outcome] ?? 0) + 1;
          return acc;
        }, {});
    console.log(
      `crash safety: ${trials.length} SIGKILL trials; killed during steps: ${JSON.stringify(tally('step'))}; killed at checkpoint writes: ${JSON.stringify(tally('write'))}`,
    );
    expect(trials).toHaveLength(TRIALS);
    // At least some kills must really have landed inside a checkpoint write.
    expect(trials.filter((t) => t.outcome === 'mid-write').length).toBeGreaterThan(0);
  }, 180_000);
});
