/**
 * A checkpoint written by Node resumes in a minified bundle (what a browser app ships): a bundler
 * renames classes (`Adam` → `jn`), and a state keyed by `constructor.name` would fail to load
 * there. The same scenario is bundled twice from the built packages with esbuild: unminified, it
 * trains, checkpoints mid-epoch and runs on to the end; minified, it loads that checkpoint and
 * runs to the end. The final weights must agree bit for bit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const packages = fileURLToPath(new URL('../../', import.meta.url));
const needed = ['training', 'layers', 'datasets', 'tensor', 'optimizers', 'serialization']
  .map((name) => `${packages}${name}/dist/index.js`)
  .filter((path) => !existsSync(path));
const work = mkdtempSync(join(tmpdir(), 'scratchnet-minified-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** Trains a small SimpleConvNet (with Adam) on synthetic 8×8 images. */
const scenario = (mode: 'save' | 'resume', checkpoint: string) => `
  import { readFileSync, writeFileSync } from 'node:fs';
  import { ArrayDataset } from '@scratchnet/datasets';
  import { SimpleConvNet } from '@scratchnet/layers';
  import { manualSeed, RandomGenerator } from '@scratchnet/tensor';
  import { Trainer } from '@scratchnet/training';

  const random = new RandomGenerator(7);
  const features = new Float32Array(48 * 64).map(() => random.uniform());
  const labels = Int32Array.from({ length: 48 }, (_, i) => i % 4);
  const data = new ArrayDataset({ features, labels, sampleShape: [1, 8, 8], transforms: { flatten: false } });
  // Other initial weights when resuming: only the checkpoint can bring the runs together.
  manualSeed(${mode === 'save' ? 3 : 99});
  const net = new SimpleConvNet({ inputDim: [1, 8, 8], filterNum: 3, filterSize: 3, hiddenSize: 6, outputSize: 4 });
  const trainer = new Trainer(net, data, {
    optimizer: 'adam', lr: 0.01, epochs: 3, batchSize: 10, seed: 5, trainEvalSamples: 0,
    lrSchedule: { type: 'cosine' },
  });
  if (${JSON.stringify(mode)} === 'save') {
    while (trainer.step < 7) await trainer.trainStep();
    writeFileSync(${JSON.stringify(checkpoint)}, await trainer.saveCheckpoint());
  } else {
    trainer.loadCheckpoint(readFileSync(${JSON.stringify(checkpoint)}), 'node checkpoint');
  }
  await trainer.fit();
  const weights = Object.fromEntries(
    Object.entries(net.stateDict()).map(([name, t]) => [name, Array.from(t.dataSync())]),
  );
  console.log(JSON.stringify({ className: trainer.optimizer.constructor.name, steps: trainer.step, weights }));
`;

describe('a Node checkpoint in a minified bundle', () => {
  it(`resumes to the weights of the uninterrupted run, bit for bit${needed.length > 0 ? ` (SKIPPED: ${needed.join(', ')} missing; run pnpm build)` : ''}`, async (context) => {
    if (needed.length > 0) return context.skip();
    // esbuild comes with tsup (a root devDependency).
    const require = createRequire(import.meta.url);
    const esbuild = createRequire(require.resolve('tsup'))('esbuild') as EsbuildApi;
    const checkpoint = join(work, 'node.checkpoint.safetensors');
    const run = async (mode: 'save' | 'resume', minify: boolean) => {
      const result = await esbuild.build({
        stdin: {
          contents: scenario(mode, checkpoint),
          resolveDir: packageDir,
          sourcefile: 'entry.js',
        },
        bundle: true,
        minify,
        format: 'esm',
        platform: 'node',
        write: false,
        logLevel: 'silent',
      });
      const output = execFileSync(process.execPath, ['--input-type=module'], {
        input: result.outputFiles[0]!.text,
        encoding: 'utf8',
      });
      return JSON.parse(output) as {
        className: string;
        steps: number;
        weights: Record<string, number[]>;
      };
    };
    const node = await run('save', false);
    const minified = await run('resume', true);
    expect(node.className).toBe('Adam');
    expect(minified.className, 'esbuild kept the class name: the test does not minify').not.toBe(
      'Adam',
    );
    expect(node.steps).toBe(15);
    expect(minified.steps).toBe(15);
    expect(Object.keys(minified.weights)).toEqual([
      'conv1.weight',
      'conv1.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    expect(minified.weights).toEqual(node.weights);
  }, 60_000);
});
