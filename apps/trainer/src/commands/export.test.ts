import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepConvNet } from '@scratchnet/layers';
import { exportOnnx, loadModel, saveModel } from '@scratchnet/serialization';
import { manualSeed } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

function scratchnet(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scratchnet export --onnx', () => {
  it('writes the ONNX model of a model file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-export-onnx-'));
    manualSeed(2);
    const modelPath = join(dir, 'deep.safetensors');
    writeFileSync(modelPath, saveModel(new DeepConvNet()));
    const out = join(dir, 'deep.onnx');
    const { code, stdout, stderr } = scratchnet('export', modelPath, '--onnx', '-o', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /deep\.onnx \(ONNX opset 13, input \[batch, 1, 28, 28\], [\d,]+ bytes\)/,
    );
    // The same bytes exportOnnx gives for the model the file holds.
    const network = loadModel(readFileSync(modelPath));
    expect(
      Buffer.from(readFileSync(out)).equals(
        Buffer.from(exportOnnx(network, { metadata: { format: 'pt' } })),
      ),
    ).toBe(true);
  });
});
