import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, loadModel } from '@scratchnet/serialization';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { silentReporter } from './reporter.js';
import { runTraining, type TrainOptions } from './run-training.js';

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
