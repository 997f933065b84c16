import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, registerBackend, setBackend } from './backend.js';
import { cpuBackend } from './cpu/cpu-backend.js';
import { tensor } from './creation.js';
import { ShapeError } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * The reference backend with reads that are asynchronous only, as WebGPU's: `read` throws and
 * `readAsync` settles on a later turn of the event loop.
 */
const asyncOnly: Backend<Float32Array> = {
  ...cpuBackend,
  name: 'async-only',
  read: () => {
    throw new Error('async-only: no synchronous reads');
  },
  readAsync: (data, size) => {
    const copy = data.slice(0, size);
    return new Promise((resolve) => setTimeout(() => resolve(copy), 1));
  },
};

registerBackend(asyncOnly);
afterEach(() => setBackend('cpu'));

const on = (backend: Backend<Float32Array>, values: number[], shape: number[]) =>
  new Tensor(backend.upload(Float32Array.from(values)), shape, backend);

describe('asynchronous reads', () => {
  it('dataAsync gives a flat copy of the values the caller owns', async () => {
    const t = tensor([
      [1.5, -2],
      [3, 4],
    ]);
    const values = await t.dataAsync();
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual([1.5, -2, 3, 4]);
    values[0] = 99;
    expect(Array.from(await t.dataAsync())).toEqual([1.5, -2, 3, 4]);
    expect(t.dataSync()[0]).toBe(1.5);
  });

  it('dataAsync gives the values of the call, even if assign replaces them before it settles', async () => {
    const t = on(asyncOnly, [1, 2], [2]);
    const pending = t.dataAsync();
    t.assign(on(asyncOnly, [7, 8], [2]));
    expect(Array.from(await pending)).toEqual([1, 2]);
    expect(Array.from(await t.dataAsync())).toEqual([7, 8]);
  });

  it('array nests by shape as toArray does', async () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 1, 3]);
    expect(await t.array()).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(await t.array()).toEqual(t.toArray());
    expect(await tensor(5).array()).toBe(5);
    expect(await tensor([], [0, 2]).array()).toEqual([]);
  });

  it('itemAsync gives the single value, and rejects other sizes as item does', async () => {
    expect(await tensor([[4.25]]).itemAsync()).toBe(4.25);
    expect(await tensor([1, 2, 3]).sum().itemAsync()).toBe(6);
    await expect(tensor([1, 2]).itemAsync()).rejects.toThrow(ShapeError);
    await expect(tensor([1, 2]).itemAsync()).rejects.toThrow(
      'itemAsync: the tensor has shape [2], not one element',
    );
  });

  it('work on a backend whose reads are asynchronous only', async () => {
    setBackend(asyncOnly.name);
    const t = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => t.dataSync()).toThrow('async-only: no synchronous reads');
    expect(() => t.item()).toThrow(ShapeError);
    expect(Array.from(await t.dataAsync())).toEqual([1, 2, 3, 4]);
    expect(await t.array()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // A running loss, read as a loop should: one await per step, no synchronous read.
    let total = 0;
    for (let step = 1; step <= 3; step++) total += await t.mul(step).sum().itemAsync();
    expect(total).toBe(60);
  });
});
