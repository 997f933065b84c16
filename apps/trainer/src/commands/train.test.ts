import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

function train(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'scratchnet-on-nan-'));
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      tsx,
      cli,
      'train',
      '--model',
      'mlp',
      '--backend',
      'cpu',
      '--optimizer',
      'sgd',
      '--lr',
      '1e30',
      '--train-limit',
      '200',
      '--test-limit',
      '50',
      '--batch-size',
      '50',
      '-o',
      out,
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scratchnet train --on-nan', () => {
  it('stops a diverging run with the step, the tensor and a hint (the default)', () => {
    const { code, stderr } = train();
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /step 2 \(epoch 1, batch 2 of 4\): the loss is (NaN|Infinity)\. Training diverged: lower the learning rate \(--lr, now 1e\+30\), or pass --on-nan skip/,
    );
  });

  it('skip drops the bad batches, says so, and finishes', () => {
    const { code, stdout, stderr } = train('--on-nan', 'skip');
    expect(code, stderr).toBe(0);
    expect(
      stderr.match(
        /^warning: step 2 \(epoch 1, batch \d of 4\): the loss is .*; batch skipped \(--on-nan skip\)$/gm,
      ),
    ).toHaveLength(3);
    expect(stdout).toMatch(/^test accuracy: /m);
  });

  it('refuses another action', () => {
    const { code, stderr } = train('--on-nan', 'ignore');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/argument 'ignore' is invalid\. Allowed choices are stop, skip/);
  });
});
