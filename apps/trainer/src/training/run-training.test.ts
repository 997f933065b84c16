import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, loadModel } from '@scratchnet/serialization';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { silentReporter } from './reporter.js';
import { NonFiniteError, runTraining, type TrainOptions } from './run-training.js';

const base: Omit<TrainOptions, 'out'> = {
  model: 'simple-convnet',
  dataset: 'mnist',
  epochs: 1,
  batchSize: 50,
  optimizer: 'adam',
  weightDecay: 0,
  seed: 7,
  resume: false,
  trainLimit: 200,
  testLimit: 100,
};

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `scratchnet-${name}-`));

describe('runTraining', () => {
  it('writes every output file, and each one parses', async () => {
    const out = tempDir('files');
    const result = await runTraining({ ...base, out }, silentReporter);
    expect(result.completed).toBe(true);
    const { files } = result;
    expect(Object.keys(files).sort()).toEqual(
      [
        'accuracyCurve',
        'checkpoint',
        'filtersAfter',
        'filtersBefore',
        'lossCurve',
        'metricsCsv',
        'metricsJsonl',
        'misclassified',
        'model',
        'stepsCsv',
      ].sort(),
    );
    for (const path of Object.values(files)) expect(existsSync(path), path).toBe(true);

    const model = loadModel(readFileSync(files.model!), { source: files.model });
    expect(model.config.architecture).toBe('simple-convnet');
    expect(loadCheckpoint(readFileSync(files.checkpoint!)).training.epoch).toBe(1);

    const epochs = readFileSync(files.metricsJsonl!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(epochs).toHaveLength(1);
    expect(epochs[0]).toMatchObject({ epoch: 1, step: 4 });
    expect(epochs[0].testAccuracy).toBeCloseTo(result.finalTest!.accuracy, 10);
    expect(readFileSync(files.metricsCsv!, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(files.stepsCsv!, 'utf8').trim().split('\n')).toHaveLength(5);
    for (const key of [
      'lossCurve',
      'accuracyCurve',
      'filtersBefore',
      'filtersAfter',
      'misclassified',
    ]) {
      const png = PNG.sync.read(readFileSync(files[key]!));
      expect(png.width, key).toBeGreaterThan(50);
    }
  });

  it('the same seed gives identical metrics, run after run', async () => {
    // One after the other: both runs use the process-wide default generator.
    const runs = [];
    for (const name of ['a', 'b']) {
      const result = await runTraining(
        { ...base, model: 'mlp', out: tempDir(name) },
        silentReporter,
      );
      const rows = readFileSync(result.files.metricsJsonl!, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      runs.push({
        rows: rows.map(({ seconds: _s, ...rest }) => rest),
        steps: readFileSync(result.files.stepsCsv!, 'utf8'),
      });
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('a run stopped mid-epoch and resumed ends bitwise equal to an uninterrupted one (DeepConvNet: dropout RNG too)', async () => {
    const options = {
      ...base,
      model: 'deep-convnet' as const,
      epochs: 2,
      batchSize: 20,
      trainLimit: 60,
      testLimit: 40,
    };
    const whole = await runTraining({ ...options, out: tempDir('whole') }, silentReporter);

    const out = tempDir('resumed');
    const stopped = await runTraining({ ...options, out, stopAfterSteps: 4 }, silentReporter);
    expect(stopped.completed).toBe(false);
    expect(loadCheckpoint(readFileSync(join(out, 'checkpoint.safetensors'))).training.step).toBe(4);
    const resumed = await runTraining({ ...options, out, resume: true }, silentReporter);
    expect(resumed.completed).toBe(true);

    const weights = (path: string) =>
      Object.entries(loadModel(readFileSync(path)).stateDict()).map(([name, t]) => [
        name,
        Array.from(t.dataSync()),
      ]);
    expect(weights(resumed.files.model!)).toEqual(weights(whole.files.model!));
    const withoutTimes = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const { seconds: _s, ...rest } = JSON.parse(l);
          return rest;
        });
    expect(withoutTimes(resumed.files.metricsJsonl!)).toEqual(
      withoutTimes(whole.files.metricsJsonl!),
    );
    expect(readFileSync(resumed.files.stepsCsv!, 'utf8')).toBe(
      readFileSync(whole.files.stepsCsv!, 'utf8'),
    );
  });
});

describe("--sampling replacement (the book's Trainer)", () => {
  const options = { ...base, model: 'mlp' as const, epochs: 2, batchSize: 20, trainLimit: 100 };
  const stepsOf = (path: string) => readFileSync(path, 'utf8');

  it('draws other batches than shuffle, resumes bitwise, and refuses a resume with the other sampling', async () => {
    const shuffled = await runTraining({ ...options, out: tempDir('shuffle') }, silentReporter);
    const whole = await runTraining(
      { ...options, sampling: 'replacement', out: tempDir('replacement') },
      silentReporter,
    );
    expect(stepsOf(whole.files.stepsCsv!)).not.toBe(stepsOf(shuffled.files.stepsCsv!));

    const out = tempDir('replacement-resumed');
    await runTraining(
      { ...options, sampling: 'replacement', out, stopAfterSteps: 3 },
      silentReporter,
    );
    await expect(runTraining({ ...options, out, resume: true }, silentReporter)).rejects.toThrow(
      /was trained with other settings: --sampling \(or --book\): "replacement" then, "shuffle" now\./,
    );
    const resumed = await runTraining(
      { ...options, sampling: 'replacement', out, resume: true },
      silentReporter,
    );
    expect(stepsOf(resumed.files.stepsCsv!)).toBe(stepsOf(whole.files.stepsCsv!));
  });
});

describe('NaN or infinite loss and gradients', () => {
  // SGD with a learning rate of 1e30: the first step sends the weights far out, the second
  // batch's logits overflow.
  const diverging: Omit<TrainOptions, 'out'> = {
    ...base,
    model: 'mlp',
    optimizer: 'sgd',
    lr: 1e30,
    trainLimit: 200,
    testLimit: 50,
  };

  it('stops with the step, the tensor and a hint by default', async () => {
    const out = tempDir('nan-stop');
    const error = await runTraining({ ...diverging, out }, silentReporter).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NonFiniteError);
    const { step, tensorName, message } = error as NonFiniteError;
    expect(step).toBe(2);
    expect(tensorName).toBe('loss');
    expect(message).toMatch(
      /^step 2 \(epoch 1, batch 2 of 4\): the loss is (NaN|Infinity)\. Training diverged: lower the learning rate \(--lr, now 1e\+30\), or pass --on-nan skip/,
    );
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
  });

  it('--on-nan skip drops the bad batches and finishes with finite weights', async () => {
    const out = tempDir('nan-skip');
    const messages: string[] = [];
    const result = await runTraining(
      { ...diverging, out, onNan: 'skip' },
      { ...silentReporter, skipped: (m) => messages.push(m) },
    );
    expect(result.completed).toBe(true);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^step 2 \(epoch 1, batch 2 of 4\): the loss is .*; batch skipped/);
    const checkpoint = loadCheckpoint(readFileSync(result.files.checkpoint!));
    expect(checkpoint.training.step).toBe(1);
    expect((checkpoint.training.trainer as { skippedBatches: number }).skippedBatches).toBe(3);
    for (const [name, t] of Object.entries(result.network.stateDict())) {
      expect(t.dataSync().every(Number.isFinite), name).toBe(true);
    }
  });
});
