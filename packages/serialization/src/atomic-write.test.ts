import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scratchnet-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const variants = [
  ['writeFileAtomic', (path: string, bytes: Uint8Array) => writeFileAtomic(path, bytes)],
  [
    'writeFileAtomicSync',
    async (path: string, bytes: Uint8Array) => writeFileAtomicSync(path, bytes),
  ],
] as const;

describe.each(variants)('%s', (_name, write) => {
  it('creates and then replaces the target, leaving no temporary file', async () => {
    const target = join(dir, 'model.safetensors');
    await write(target, Uint8Array.of(1, 2, 3));
    expect(Array.from(readFileSync(target))).toEqual([1, 2, 3]);
    await write(target, Uint8Array.of(9));
    expect(Array.from(readFileSync(target))).toEqual([9]);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('writes large files whole', async () => {
    const target = join(dir, 'big.bin');
    const bytes = new Uint8Array(3_000_000).map((_, i) => i % 251);
    await write(target, bytes);
    expect(readFileSync(target).equals(bytes)).toBe(true);
  });

  it('removes the temporary file and keeps the target when the rename fails', async () => {
    // A non-empty directory where the file should go: the rename is refused.
    const target = join(dir, 'checkpoint');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'old');
    const error = await write(target, Uint8Array.of(1)).catch((e: Error) => e);
    // The target is named, not the temporary file; the system's reason follows.
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot write ${target} \\((EISDIR|ENOTEMPTY|EEXIST|EPERM): rename failed\\); any file already there is left as it was$`,
      ),
    );
    expect(readdirSync(dir)).toEqual(['checkpoint']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('old');
  });

  it('fails without creating anything when the directory is missing', async () => {
    await expect(write(join(dir, 'missing', 'file.bin'), Uint8Array.of(1))).rejects.toThrow(
      `cannot write ${join(dir, 'missing', 'file.bin')} (ENOENT: open failed)`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('concurrent writers', () => {
  it('leave one complete version, never a mix', async () => {
    const target = join(dir, 'shared.bin');
    const versions = [1, 2, 3, 4].map((v) => new Uint8Array(200_000).fill(v));
    await Promise.all(versions.map((bytes) => writeFileAtomic(target, bytes)));
    const result = readFileSync(target);
    expect(result.length).toBe(200_000);
    expect(result.every((byte) => byte === result[0])).toBe(true);
    expect(readdirSync(dir)).toEqual(['shared.bin']);
  });
});
