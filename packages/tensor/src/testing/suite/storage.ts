/**
 * The backend suite, storage: upload, read, readAsync and fill.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../backend.js';
import { expectClose, uniform } from './helpers.js';

/** Registers the storage tests of the backend suite for `backend`. */
export function describeStorage<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('storage: upload, read, fill', () => {
    it('round-trips values, including NaN, ±Infinity, −0 and subnormals', () => {
      const values = Float32Array.of(1.5, -2, 0, -0, Number.NaN, Infinity, -Infinity, 1e-40);
      const data = backend.upload(values);
      const back = read(data, values.length);
      expectClose('read', back, values);
      expect(Object.is(back[3], -0)).toBe(true);
    });

    it('upload copies its input and read returns a copy the caller owns', () => {
      const values = Float32Array.of(1, 2, 3);
      const data = backend.upload(values);
      values[0] = 99;
      const first = read(data, 3);
      expect(Array.from(first)).toEqual([1, 2, 3]);
      first[1] = 99;
      expect(Array.from(read(data, 3))).toEqual([1, 2, 3]);
    });

    it('fills with a value, and handles size 0', () => {
      expect(Array.from(read(backend.fill(5, 2.5), 5))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
      expect(Array.from(read(backend.fill(3, 0), 3))).toEqual([0, 0, 0]);
      expect(read(backend.fill(0, 1), 0)).toHaveLength(0);
      expect(read(backend.upload(new Float32Array(0)), 0)).toHaveLength(0);
    });
  });

  describe('readAsync', () => {
    it('gives the values read gives, including NaN, ±Infinity, −0, subnormals and size 0', async () => {
      const values = Float32Array.of(1.5, -2, 0, -0, Number.NaN, Infinity, -Infinity, 1e-40);
      const data = backend.upload(values);
      const pending = backend.readAsync(data, values.length);
      expect(pending).toBeInstanceOf(Promise);
      const back = await pending;
      expect(back).toBeInstanceOf(Float32Array);
      expectClose('readAsync', back, read(data, values.length));
      expectClose('readAsync', back, values);
      expect(Object.is(back[3], -0)).toBe(true);
      // A prefix, as read: `size` may be less than the storage holds.
      expect(Array.from(await backend.readAsync(data, 2))).toEqual([1.5, -2]);
      expect(await backend.readAsync(backend.upload(new Float32Array(0)), 0)).toHaveLength(0);
      const op = backend.unary('neg', data, values.length);
      expectClose('readAsync of an op', await backend.readAsync(op, 3), [-1.5, 2, -0]);
    });

    it('returns a copy the caller owns', async () => {
      const data = backend.upload(Float32Array.of(1, 2, 3));
      const [first, second] = await Promise.all([
        backend.readAsync(data, 3),
        backend.readAsync(data, 3),
      ]);
      expect(first).not.toBe(second);
      first![0] = 99;
      first!.fill(-1, 1);
      expect(Array.from(second!)).toEqual([1, 2, 3]);
      expect(Array.from(read(data, 3))).toEqual([1, 2, 3]);
      expect(Array.from(await backend.readAsync(data, 3))).toEqual([1, 2, 3]);
    });

    it('keeps the values of the call once the storage is freed and reused', async () => {
      // Reads are started and their storage dropped at once; then storage of the same sizes
      // is allocated and overwritten, synchronously, and again after a collection (when the
      // test runs with `gc` exposed) and a few turns of the event loop, in which a backend may
      // free the dropped blocks (finalizers) and then reuse them.
      const n = 1000;
      const count = 8;
      const expected = Array.from({ length: count }, (_, i) => uniform(n, 300 + i));
      const pending = expected.map((values) => backend.readAsync(backend.upload(values), n));
      const overwrite = (): D[] => Array.from({ length: 4 * count }, () => backend.fill(n, -7));
      const kept = overwrite();
      (globalThis as { gc?: () => void }).gc?.();
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
      kept.push(...overwrite());
      const results = await Promise.all(pending);
      results.forEach((values, i) => {
        expectClose(`readAsync ${i} after its storage was dropped`, values, expected[i]!);
      });
      expect(Array.from(read(kept[kept.length - 1]!, 3))).toEqual([-7, -7, -7]);
    });
  });
}
