import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@scratchnet/serialization';
import { noGrad, tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');
/** State dicts PyTorch saved, with its logits (scripts/make-torch-import-fixture.py). */
const fixtures = join(here, '../../../../packages/serialization/src/fixtures/torch-import');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));

function scratchnet(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scratchnet import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-import-'));

  it("turns PyTorch's nn.Sequential state dict into a model file that eval, summary and export open", () => {
    const spec = join(dir, 'net.json');
    const { architecture: _, ...description } = expected.models.sequential.config;
    writeFileSync(spec, JSON.stringify(description));
    const out = join(dir, 'torch.safetensors');
    const imported = scratchnet(
      'import',
      join(fixtures, 'sequential.safetensors'),
      '--spec',
      spec,
      '-o',
      out,
    );
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(
      /sequential\.safetensors → .*torch\.safetensors: sequential, 11 tensors, 12,778 parameters/,
    );

    // The model file gives PyTorch's logits.
    const network = loadModel(readFileSync(out));
    const x = tensor(Float32Array.from(expected.input.data), expected.input.shape);
    const logits = noGrad(() => network.forward(x)).dataSync();
    expected.models.sequential.logits.data.forEach((v: number, i: number) => {
      expect(Math.abs(logits[i]! - v)).toBeLessThan(1e-5);
    });

    const summary = scratchnet('summary', out);
    expect(summary.stdout).toMatch(/^0 \(Conv2d\) +\[1, 4, 28, 28\] +40$/m);
    expect(summary.stdout).toMatch(/Total params: 12,778/);
    const evaluated = scratchnet('eval', out, '--test-limit', '100', '--json');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).samples).toBe(100);
    const onnx = join(dir, 'torch.onnx');
    expect(scratchnet('export', out, '--onnx', '-o', onnx).code).toBe(0);
    expect(existsSync(onnx)).toBe(true);
  });

  it('names every tensor that does not fit the architecture, and writes nothing', () => {
    const out = join(dir, 'wrong.safetensors');
    const result = scratchnet(
      'import',
      join(fixtures, 'simple-convnet.safetensors'),
      '--model',
      'simple-convnet',
      '-o',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /simple-convnet\.safetensors: tensor "conv1\.weight" has shape \[6, 1, 5, 5\], but the config's simple-convnet expects \[30, 1, 5, 5\]/,
    );
    expect(existsSync(out)).toBe(false);

    const spec = join(dir, 'small.json');
    writeFileSync(spec, JSON.stringify(expected.models['simple-convnet'].config));
    const fixed = scratchnet(
      'import',
      join(fixtures, 'simple-convnet.safetensors'),
      '--spec',
      spec,
      '-o',
      out,
    );
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/simple-convnet, 6 tensors, 17,666 parameters/);
  });

  it('needs exactly one of --model and --spec', () => {
    const result = scratchnet(
      'import',
      join(fixtures, 'sequential.safetensors'),
      '-o',
      join(dir, 'x'),
    );
    expect(result.stderr).toContain(
      'import: give either --model NAME or --spec FILE (one of them)',
    );
  });
});
