import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writing a model or checkpoint in place can leave a half-written file if the process dies or
 * the disk fills up. These helpers write a temporary file beside the target (same directory, so
 * the rename stays on one file system), fsync it, and rename it over the target: readers see
 * either the old file or the new one, never a mix. Node only.
 */

/** A fresh temporary name beside `path`, hidden and unique per process and call. */
function temporaryPathFor(path: string): string {
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return join(dirname(path), `.${basename(path)}.${suffix}`);
}

/**
 * The error of a failed write, naming the file the caller asked for (the temporary name the
 * system error gives means nothing to them) and saying that the old file is intact.
 */
function writeError(path: string, error: unknown): Error {
  const cause = error as NodeJS.ErrnoException;
  const why = cause.code ? `${cause.code}: ${cause.syscall ?? 'write'} failed` : cause.message;
  return new Error(`cannot write ${path} (${why}); any file already there is left as it was`, {
    cause: error,
  });
}

/** Best effort: persist the rename itself (a directory fsync); not every platform allows it. */
function fsyncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `bytes` to `path` atomically (temp file, fsync, rename), synchronously. On failure the
 * temporary file is removed and the target is left as it was.
 *
 * @example
 * import { writeFileAtomicSync } from '@scratchnet/serialization/node';
 * writeFileAtomicSync('model.safetensors', tensorsToSafetensors(params));
 */
export function writeFileAtomicSync(path: string, bytes: Uint8Array): void {
  const temporary = temporaryPathFor(path);
  try {
    const fd = openSync(temporary, 'wx'); // 'x': never reuse or follow an existing file
    try {
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone (or never created): nothing to clean up.
    }
    throw writeError(path, error);
  }
  fsyncDirectorySync(dirname(path));
}

/**
 * Writes `bytes` to `path` atomically (temp file, fsync, rename). On failure the temporary file
 * is removed and the target is left as it was.
 *
 * @example
 * import { writeFileAtomic } from '@scratchnet/serialization/node';
 * await writeFileAtomic('checkpoint.safetensors', bytes);
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    const handle = await fsp.open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temporary, path);
  } catch (error) {
    await fsp.rm(temporary, { force: true });
    throw writeError(path, error);
  }
  fsyncDirectorySync(dirname(path));
}
