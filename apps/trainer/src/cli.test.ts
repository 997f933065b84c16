/**
 * The `scratchnet` command line, run as a user would: a child process per command (through tsx,
 * on the sources), on small subsets of MNIST.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiLayerNet } from '@scratchnet/layers';
import { saveModel } from '@scratchnet/serialization';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentReporter } from './training/reporter.js';
import { runTraining } from './training/run-training.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'cli.ts');
const assets = resolve(here, '../test-assets');
const tsx = createRequire(import.meta.url).resolve('tsx');
const bookParamsDir = resolve(here, '../../../../shared/book-params');
const haveBookParams = existsSync(bookParamsDir);

function scratchnet(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `scratchnet-cli-${name}-`));

describe('scratchnet train / eval / predict', () => {
  let trainedModel = '';
  let trainedAccuracy = 0;

  beforeAll(async () => {
    // A SimpleConvNet trained here, well enough to read hand-drawn digits: 6,000 images, 1 epoch.
    const out = tempDir('model');
    const result = await runTraining(
      {
        model: 'simple-convnet',
        dataset: 'mnist',
        epochs: 1,
        batchSize: 50,
        optimizer: 'adam',
        weightDecay: 0,
        seed: 1,
        resume: false,
        out,
        trainLimit: 6000,
        testLimit: 500,
      },
      silentReporter,
    );
    trainedModel = result.files.model!;
    trainedAccuracy = result.finalTest!.accuracy;
  }, 300_000);

  it('trains one epoch and prints the test accuracy and the files written', () => {
    const out = tempDir('train');
    const { code, stdout } = scratchnet(
      'train',
      '--epochs',
      '1',
      '--train-limit',
      '300',
      '--test-limit',
      '100',
      '--batch-size',
      '50',
      '-o',
      out,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /epoch 1 +train loss [\d.]+ +train acc [\d.]+% +test loss [\d.]+ +test acc [\d.]+%/,
    );
    expect(stdout).toMatch(/^test accuracy: \d+\.\d\d%$/m);
    expect(stdout).toContain(join(out, 'model.safetensors'));
  });

  it('eval prints "test accuracy: NN.NN%", per-class accuracy and the confusion matrix', () => {
    const { code, stdout } = scratchnet('eval', trainedModel, '--test-limit', '500');
    expect(code).toBe(0);
    const accuracy = Number(stdout.match(/^test accuracy: (\d+\.\d\d)%$/m)?.[1]);
    // The same 500 images the training run scored at its end.
    expect(accuracy).toBe(Number((trainedAccuracy * 100).toFixed(2)));
    expect(accuracy).toBeGreaterThan(80);
    expect(stdout).toContain('confusion matrix');
  });

  it('predict reads committed hand-drawn digits with a model trained in the test', () => {
    for (const digit of [7, 1, 3]) {
      const { code, stdout } = scratchnet(
        'predict',
        trainedModel,
        join(assets, `digit-${digit}.png`),
      );
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(new RegExp(`^prediction: ${digit}$`, 'm'));
    }
  });

  it.skipIf(!haveBookParams)(
    `predict with the book's SimpleConvNet imported from its pickle${haveBookParams ? '' : ` (skipped: ${bookParamsDir} is absent)`}`,
    () => {
      const out = tempDir('book');
      const model = join(out, 'book-simple-convnet.safetensors');
      const imported = scratchnet(
        'import-book',
        join(bookParamsDir, 'simple_convnet_params_2016.pkl'),
        '-o',
        model,
      );
      expect(imported.code, imported.stderr).toBe(0);
      for (const digit of [7, 1, 3]) {
        expect(scratchnet('predict', model, join(assets, `digit-${digit}.png`)).stdout).toMatch(
          new RegExp(`^prediction: ${digit}$`, 'm'),
        );
      }
      expect(scratchnet('predict', model, '0').stdout).toMatch(/^prediction: 7 \(true: 7\)$/m);
    },
  );

  it('summary prints the layer table with the parameter count', () => {
    const { stdout } = scratchnet('summary', '--model', 'deep-convnet');
    expect(stdout).toContain('Total params: 123,552');
  });
});

describe('bad input gets a clear error', () => {
  it('an unknown model or optimizer lists the valid ones', () => {
    const model = scratchnet('train', '--model', 'resnet');
    expect(model.code).not.toBe(0);
    expect(model.stderr).toMatch(/Allowed choices are mlp, simple-convnet, deep-convnet/);
    const optimizer = scratchnet('train', '--optimizer', 'lion');
    expect(optimizer.stderr).toMatch(
      /Allowed choices are sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw/,
    );
  });

  it('a missing dataset directory says how to get it', () => {
    const { code, stderr } = scratchnet(
      'train',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      '/nonexistent/fashion',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/apt-get install dataset-fashion-mnist/);
  });

  it('an image that is not an image says so; a missing file is named', () => {
    const dir = tempDir('image');
    const notImage = join(dir, 'notes.png');
    writeFileSync(notImage, 'these are words, not pixels');
    const model = join(dir, 'model.safetensors');
    writeFileSync(model, saveModel(new MultiLayerNet({ hiddenSizeList: [10] })));
    const { code, stderr } = scratchnet('predict', model, notImage);
    expect(code).toBe(1);
    expect(stderr).toContain(`${notImage} is not a PNG or JPEG image`);
    expect(scratchnet('import-book', '/nonexistent.pkl', '-o', model).stderr).toMatch(
      /\/nonexistent\.pkl: no such file/,
    );
    expect(scratchnet('eval', join(dir, 'missing.safetensors')).stderr).toMatch(
      /missing\.safetensors: no such model file/,
    );
    expect(scratchnet('predict', model, join(dir, 'missing.png')).stderr).toContain(
      `scratchnet: ${join(dir, 'missing.png')}: no such image file`,
    );
    expect(scratchnet('predict', model, '-1').stderr).toContain(
      'scratchnet: test index -1 is out of range: the test set has 10000 images (0 to 9999)',
    );
  });

  it('a resume with another batch size or seed names the flags, and the checkpoint stays', () => {
    const out = tempDir('other-settings');
    const run = ['train', '--epochs', '1', '--model', 'mlp', '--train-limit', '100'];
    expect(scratchnet(...run, '--test-limit', '50', '-o', out).code).toBe(0);
    const checkpoint = join(out, 'checkpoint.safetensors');
    const before = readFileSync(checkpoint);
    const resumed = scratchnet(
      ...run,
      '--test-limit',
      '50',
      '--epochs',
      '2',
      '--batch-size',
      '50',
      '--seed',
      '7',
      '-o',
      out,
      '--resume',
    );
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(
      `scratchnet: ${checkpoint} was trained with other settings: --batch-size: 100 then, 50 now; --seed: 1 then, 7 now. Resume it with the same, or start a new run`,
    );
    expect(readFileSync(checkpoint)).toEqual(before);
  });

  it('a corrupt checkpoint is refused by name and the previous one is left intact', async () => {
    const out = tempDir('corrupt');
    const { code } = scratchnet(
      'train',
      '--epochs',
      '1',
      '--model',
      'mlp',
      '--train-limit',
      '100',
      '--test-limit',
      '50',
      '-o',
      out,
    );
    expect(code).toBe(0);
    const checkpoint = join(out, 'checkpoint.safetensors');
    const good = readFileSync(checkpoint);
    const backup = join(out, 'good-copy');
    copyFileSync(checkpoint, backup);
    const damaged = good.subarray(0, good.length - 100);
    writeFileSync(checkpoint, damaged);
    const resumed = scratchnet(
      'train',
      '--epochs',
      '1',
      '--model',
      'mlp',
      '--train-limit',
      '100',
      '--test-limit',
      '50',
      '-o',
      out,
      '--resume',
      '--epochs',
      '2',
    );
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(checkpoint);
    expect(readFileSync(checkpoint)).toEqual(damaged);
  });
});

describe('the command line as a pipe and a folder', () => {
  const quick = [
    '--model',
    'mlp',
    '--train-limit',
    '200',
    '--test-limit',
    '50',
    '--batch-size',
    '50',
  ];

  it('prints one line per epoch when stdout is not a terminal', () => {
    const out = tempDir('lines');
    const { code, stdout } = scratchnet('train', ...quick, '--epochs', '2', '-o', out);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => /^epoch \d/.test(l))).toHaveLength(2);
    expect(stdout).not.toMatch(/batches|img\/s/);
  });

  it('exits quietly when the reader of its output goes (| head -1)', () => {
    const out = tempDir('pipe');
    const command = [
      process.execPath,
      '--import',
      tsx,
      cli,
      'train',
      ...quick,
      '--epochs',
      '3',
      '-o',
      out,
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `${command} | head -1`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stdout).toMatch(/^training mlp on mnist/);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.status).toBe(0);
  });

  it('refuses a folder that holds a run without --resume; --overwrite starts over', () => {
    const out = tempDir('again');
    expect(scratchnet('train', ...quick, '--epochs', '1', '-o', out).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const again = scratchnet('train', ...quick, '--epochs', '1', '-o', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `scratchnet: ${out} already holds a run (checkpoint.safetensors, model.safetensors): pass --resume to continue it, --overwrite to delete it and start over, or -o with another folder`,
    );
    expect(existsSync(join(out, 'notes.txt'))).toBe(true); // nothing touched
    const over = scratchnet('train', ...quick, '--epochs', '1', '--overwrite', '-o', out);
    expect(over.code, over.stderr).toBe(0);
    expect(existsSync(join(out, 'notes.txt'))).toBe(false); // the folder was cleared whole
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it('moves a run in the default folder aside instead of mixing two runs', () => {
    const cwd = tempDir('default');
    const run = () =>
      spawnSync(process.execPath, ['--import', tsx, cli, 'train', ...quick, '--epochs', '1'], {
        cwd,
        encoding: 'utf8',
        timeout: 120_000,
      });
    expect(run().status).toBe(0);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    const moved = second.stdout.match(/^the previous run in (.*) was moved to (.*)$/m);
    expect(moved?.[1]).toBe(join(cwd, 'runs/latest'));
    expect(existsSync(join(moved![2]!, 'model.safetensors'))).toBe(true);
    expect(existsSync(join(cwd, 'runs/latest/model.safetensors'))).toBe(true);
  });

  it('--resume on a folder with no checkpoint is an error naming the path', () => {
    const out = tempDir('empty');
    const { code, stderr } = scratchnet('train', ...quick, '--resume', '-o', out);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `scratchnet: --resume: ${join(out, 'checkpoint.safetensors')} does not exist, so there is no run to continue in ${out} (leave out --resume to start one there)`,
    );
  });
});

describe('Ctrl-C', () => {
  it('writes a checkpoint and exits cleanly; --resume continues from it', async () => {
    const out = tempDir('sigint');
    mkdirSync(out, { recursive: true });
    const args = [
      'train',
      '--epochs',
      '1',
      '--model',
      'mlp',
      '--train-limit',
      '4000',
      '--test-limit',
      '100',
      '--batch-size',
      '20',
      '-o',
      out,
    ];
    const child: ChildProcess = spawn(process.execPath, ['--import', tsx, cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      // The run's first line: from then on a Ctrl-C stops it after its next step.
      if (/^training /m.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
    const stoppedAt = Number(stdout.match(/stopped at step (\d+); checkpoint written/)?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
    const resumed = scratchnet(...args, '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(
      `resuming from ${join(out, 'checkpoint.safetensors')}: epoch 1, step ${stoppedAt}`,
    );
    expect(resumed.stdout).toMatch(/^test accuracy: \d+\.\d\d%$/m);
  }, 120_000);
});
