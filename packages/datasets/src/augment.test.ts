import {
  cpuBackend,
  getBackend,
  RandomGenerator,
  registerBackend,
  setBackend,
} from '@scratchnet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { AugmentedDataset, augmentImages, transformImages } from './augment.js';
import { DataLoader } from './data-loader.js';
import { ArrayDataset } from './dataset.js';

/** The bytes of a float array: equal bytes mean equal bits (−0, NaN payloads and all). */
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** `count` images of `size` pixels in [0, 1], a third of them exactly 0 and some exactly 1. */
function randomImages(count: number, size: number, seed: number): Float32Array {
  const random = new RandomGenerator(seed);
  return Float32Array.from({ length: count * size }, () => {
    const u = random.uniform();
    return u < 0.33 ? 0 : u > 0.9 ? 1 : u;
  });
}

/** Image i of a batch as rows, for readable expectations. */
function rows(pixels: Float32Array, height: number, width: number, image = 0): number[][] {
  return Array.from({ length: height }, (_, y) =>
    Array.from(pixels.subarray((image * height + y) * width, (image * height + y + 1) * width)),
  );
}

/** The centre of mass (x, y) of each image. */
function centres(pixels: Float32Array, count: number, height: number, width: number) {
  return Array.from({ length: count }, (_, i) => {
    let mass = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = pixels[(i * height + y) * width + x]!;
        mass += v;
        mx += v * x;
        my += v * y;
      }
    }
    return { mass, x: mx / mass, y: my / mass };
  });
}

describe('transformImages (a fixed transform)', () => {
  it('a shift of (1, 0) moves every pixel one column to the right, bit for bit', () => {
    const pixels = randomImages(2, 28 * 28, 1);
    const out = transformImages(pixels, 2, 28, 28, { dx: 1, dy: 0 });
    for (let i = 0; i < 2; i++) {
      const before = rows(pixels, 28, 28, i);
      expect(rows(out, 28, 28, i)).toEqual(before.map((row) => [0, ...row.slice(0, 27)]));
    }
  });

  it('an integer shift (dx, dy) equals the shifted image exactly, zeros coming in', () => {
    const [height, width] = [5, 7];
    const pixels = randomImages(3, height * width, 2);
    for (const [dx, dy] of [
      [-2, 3],
      [3, -1],
      [0, -4],
      [7, 0],
    ] as const) {
      const out = transformImages(pixels, 3, height, width, { dx, dy });
      const expected = new Float32Array(pixels.length);
      for (let i = 0; i < 3; i++) {
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const [sx, sy] = [x - dx, y - dy];
            const inside = sx >= 0 && sx < width && sy >= 0 && sy < height;
            expected[(i * height + y) * width + x] = inside
              ? pixels[(i * height + sy) * width + sx]!
              : 0;
          }
        }
      }
      expect(bytes(out), `shift (${dx}, ${dy})`).toEqual(bytes(expected));
    }
  });

  it('scale 1, rotation 0 and shift 0 is the identity bit for bit, whatever the values', () => {
    const pixels = Float32Array.of(0.3, -0, Number.NaN, 1e-40, -5, 1e30, 1, 0, 0.7);
    for (const transform of [{}, { dx: 0, dy: 0, rotation: 0, scale: 1 }, { rotation: 360 }]) {
      expect(bytes(transformImages(pixels, 1, 3, 3, transform))).toEqual(bytes(pixels));
    }
    const random = new RandomGenerator(3);
    const none = { maxShift: 0, maxRotation: 0, maxScale: 0 };
    expect(bytes(augmentImages(pixels, 1, 3, 3, none, random))).toEqual(bytes(pixels));
  });

  it('rotates a known pattern by 90° counter-clockwise (NumPy rot90), 180° and −90°', () => {
    for (const side of [4, 5]) {
      const pixels = Float32Array.from({ length: side * side }, (_, k) => (k + 1) / 100);
      const a = rows(pixels, side, side);
      const rot90 = (m: number[][]) => m.map((_, i) => m.map((row) => row[side - 1 - i]!));
      const turn = (degrees: number) =>
        rows(transformImages(pixels, 1, side, side, { rotation: degrees }), side, side);
      expect(turn(90)).toEqual(rot90(a));
      expect(turn(180)).toEqual(rot90(rot90(a)));
      expect(turn(-90)).toEqual(rot90(rot90(rot90(a))));
    }
    // On screen: the top row goes to the left column, read from bottom to top.
    const top = Float32Array.of(1, 1, 1, 0, 0, 0, 0, 0, 0);
    expect(rows(transformImages(top, 1, 3, 3, { rotation: 90 }), 3, 3)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });

  it('scales about the centre, sampling bilinearly', () => {
    // 1×9 image, centre at x = 4: the pixel at x = 5 moves to x = 6 when doubled.
    const line = new Float32Array(9);
    line[5] = 1;
    const doubled = transformImages(line, 1, 1, 9, { scale: 2 });
    expect(Array.from(doubled)).toEqual([0, 0, 0, 0, 0, 0.5, 1, 0.5, 0]);
    // Halved: output column x samples input column 4 + 2·(x − 4), here a ramp x / 8.
    const ramp = Float32Array.from({ length: 9 }, (_, x) => x / 8);
    expect(Array.from(transformImages(ramp, 1, 1, 9, { scale: 0.5 }))).toEqual([
      0, 0, 0, 0.25, 0.5, 0.75, 1, 0, 0,
    ]);
    // Half a pixel to the right: every value splits evenly between two columns.
    expect(Array.from(transformImages(line, 1, 1, 9, { dx: 0.5 }))).toEqual([
      0, 0, 0, 0, 0, 0.5, 0.5, 0, 0,
    ]);
  });

  it('names the field it refuses', () => {
    const pixels = new Float32Array(8);
    expect(() => transformImages(pixels, 1, 3, 3, {})).toThrow(
      'transformImages: pixels has 8 values, but count × height × width = 1 × 3 × 3 = 9',
    );
    expect(() => transformImages(pixels, 1.5, 2, 2, {})).toThrow(
      'transformImages: count must be a non-negative integer, got 1.5',
    );
    expect(() => transformImages(pixels, 2, 2, 2, { scale: 0 })).toThrow(
      'transformImages: transform.scale must be a finite number > 0, got 0',
    );
    expect(() => transformImages(pixels, 2, 2, 2, { dx: Number.NaN })).toThrow(
      'transformImages: transform.dx must be a finite number, got NaN',
    );
  });
});

describe('augmentImages (random transforms)', () => {
  const pixels = randomImages(10, 28 * 28, 4);
  const augment = (seed: number, options = {}) =>
    augmentImages(pixels, 10, 28, 28, options, new RandomGenerator(seed));

  it('is a function of the seed: same seed, same bytes; another seed, other bytes', () => {
    expect(bytes(augment(7))).toEqual(bytes(augment(7)));
    expect(bytes(augment(7))).not.toEqual(bytes(augment(8)));
    expect(bytes(augment(7))).not.toEqual(bytes(pixels));
  });

  it('draws each image its own transform, four numbers per image', () => {
    const random = new RandomGenerator(5);
    const first = augmentImages(pixels.subarray(0, 6 * 784), 6, 28, 28, {}, random);
    const rest = augmentImages(pixels.subarray(6 * 784), 4, 28, 28, {}, random);
    expect(bytes(Float32Array.from([...first, ...rest]))).toEqual(bytes(augment(5)));
    const counted = new RandomGenerator(5);
    for (let i = 0; i < 4 * 10; i++) counted.uniform();
    expect(random.getState()).toEqual(counted.getState());
    // Two copies of one image in a batch come out differently.
    const twice = Float32Array.from([...pixels.subarray(0, 784), ...pixels.subarray(0, 784)]);
    const out = augmentImages(twice, 2, 28, 28, {}, new RandomGenerator(5));
    expect(bytes(out.subarray(0, 784))).not.toEqual(bytes(out.subarray(784)));
  });

  it('shifts cover ±maxShift uniformly and never exceed it (centre of mass of one bright pixel)', () => {
    const [side, count, maxShift] = [9, 4000, 2];
    const one = new Float32Array(count * side * side);
    for (let i = 0; i < count; i++) one[i * side * side + 4 * side + 4] = 1; // the centre, (4, 4)
    const shifted = augmentImages(
      one,
      count,
      side,
      side,
      { maxShift, maxRotation: 0, maxScale: 0 },
      new RandomGenerator(11),
    );
    const found = centres(shifted, count, side, side);
    for (const axis of ['x', 'y'] as const) {
      const shifts = found.map((c) => c[axis] - 4);
      expect(Math.max(...shifts.map(Math.abs))).toBeLessThanOrEqual(maxShift + 1e-6);
      expect(Math.min(...shifts)).toBeLessThan(-0.99 * maxShift);
      expect(Math.max(...shifts)).toBeGreaterThan(0.99 * maxShift);
      // Uniform: each quarter of [−2, 2] holds about a quarter of the draws (σ ≈ 0.7 %).
      for (let q = 0; q < 4; q++) {
        const low = -maxShift + q;
        const share = shifts.filter((s) => s >= low && s < low + 1).length / count;
        expect(share, `${axis} shifts in [${low}, ${low + 1})`).toBeGreaterThan(0.22);
        expect(share, `${axis} shifts in [${low}, ${low + 1})`).toBeLessThan(0.28);
      }
    }
    // A pure shift keeps all the light (bilinear weights add up to 1).
    for (const { mass } of found) expect(mass).toBeCloseTo(1, 6);

    // With rotation and scale on, the centre stays put: the centre of mass still moves by the
    // shift alone, within the blur of resampling.
    const turned = centres(
      augmentImages(one, count, side, side, { maxShift }, new RandomGenerator(12)),
      count,
      side,
      side,
    );
    for (const c of turned) {
      expect(Math.abs(c.x - 4)).toBeLessThanOrEqual(maxShift + 0.05);
      expect(Math.abs(c.y - 4)).toBeLessThanOrEqual(maxShift + 0.05);
    }
  });

  it('keeps pixels in [0, 1] for images in [0, 1], even with large transforms', () => {
    const out = augment(9, { maxShift: 6, maxRotation: 180, maxScale: 0.5 });
    let [low, high] = [Infinity, -Infinity];
    for (const v of out) [low, high] = [Math.min(low, v), Math.max(high, v)];
    expect(low).toBe(0);
    expect(high).toBeLessThanOrEqual(1);
    expect(high).toBeGreaterThan(0.9);
  });

  it('names the option or field it refuses', () => {
    const random = new RandomGenerator(0);
    expect(() => augmentImages(pixels, 10, 28, 27, {}, random)).toThrow(
      'augmentImages: pixels has 7840 values, but count × height × width = 10 × 28 × 27 = 7560',
    );
    expect(() => augmentImages(pixels, 10, 28, 28, { maxShift: -1 }, random)).toThrow(
      'augmentImages: options.maxShift must be a finite number ≥ 0, got -1',
    );
    expect(() => augmentImages(pixels, 10, 28, 28, { maxRotation: Infinity }, random)).toThrow(
      'augmentImages: options.maxRotation must be a finite number ≥ 0, got Infinity',
    );
    expect(() => augmentImages(pixels, 10, 28, 28, { maxScale: 1 }, random)).toThrow(
      'augmentImages: options.maxScale must be below 1 (the scale 1 − maxScale must stay positive), got 1',
    );
  });
});

describe('AugmentedDataset', () => {
  const count = 12;
  const features = Uint8Array.from(randomImages(count, 784, 21), (v) => Math.round(v * 255));
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10);
  const source = (flatten = true) =>
    new ArrayDataset({
      features,
      labels,
      sampleShape: [1, 28, 28],
      transforms: { normalize: true, flatten },
    });

  afterEach(() => setBackend('cpu'));

  it('augments x as augmentImages does and passes labels, targets and indices through', () => {
    const plain = source();
    const augmented = new AugmentedDataset(plain, { seed: 3 });
    expect(augmented.length).toBe(count);
    const picked = [5, 0, 11, 3];
    const batch = augmented.batch(picked);
    const reference = plain.batch(picked);
    expect(batch.x.shape).toEqual([4, 784]);
    expect(bytes(batch.x.dataSync())).toEqual(
      bytes(augmentImages(reference.x.dataSync(), 4, 28, 28, {}, new RandomGenerator(3))),
    );
    expect(batch.y.toArray()).toEqual(reference.y.toArray());
    expect(batch.y.toArray()).toEqual([5, 0, 7, 1]);
    expect(Array.from(batch.labels)).toEqual([5, 0, 7, 1]);
    expect(Array.from(batch.indices)).toEqual(picked);
  });

  it('gives the same pixels for [N, 1, 28, 28] and flattened [N, 784] batches', () => {
    const images = new AugmentedDataset(source(false), { seed: 4 }).batch([1, 2, 3]);
    const flat = new AugmentedDataset(source(true), { seed: 4 }).batch([1, 2, 3]);
    expect(images.x.shape).toEqual([3, 1, 28, 28]);
    expect(bytes(images.x.dataSync())).toEqual(bytes(flat.x.dataSync()));
  });

  it('is a function of the seed, and getState/setState resume the same batches mid-stream', () => {
    const run = (dataset: AugmentedDataset, batches: number[][]) =>
      batches.map((indices) => bytes(dataset.batch(indices).x.dataSync()));
    const batches = [[0, 1, 2], [3, 4], [5, 6, 7], [8], [9, 10, 11]];
    const first = run(new AugmentedDataset(source(), { seed: 9 }), batches);
    expect(run(new AugmentedDataset(source(), { seed: 9 }), batches)).toEqual(first);
    expect(run(new AugmentedDataset(source(), { seed: 10 }), batches)[0]).not.toEqual(first[0]);

    const interrupted = new AugmentedDataset(source(), { seed: 9 });
    run(interrupted, batches.slice(0, 2));
    const saved = JSON.parse(JSON.stringify(interrupted.getState())); // through a checkpoint file
    const resumed = new AugmentedDataset(source(), { seed: 123 });
    resumed.setState(saved);
    expect(run(resumed, batches.slice(2))).toEqual(first.slice(2));
  });

  it('resumes with a DataLoader: the same augmented batches after a checkpoint', () => {
    const make = () => {
      const dataset = new AugmentedDataset(source(), { seed: 1 });
      return { dataset, loader: new DataLoader(dataset, { batchSize: 5, shuffle: true, seed: 2 }) };
    };
    const take = (loader: DataLoader, n: number) => {
      const out: Uint8Array[] = [];
      for (const { x } of loader) {
        out.push(bytes(x.dataSync()));
        if (out.length === n) break;
      }
      return out;
    };
    const straight = make();
    const all = [...take(straight.loader, 3), ...take(straight.loader, 3)]; // two epochs
    const first = make();
    take(first.loader, 2);
    const checkpoint = { loader: first.loader.getState(), augment: first.dataset.getState() };
    const second = make();
    second.loader.setState(checkpoint.loader);
    second.dataset.setState(checkpoint.augment);
    expect([...take(second.loader, 1), ...take(second.loader, 3)]).toEqual(all.slice(2));
  });

  it('puts x on the active backend', () => {
    registerBackend({ ...cpuBackend, name: 'augment-test' });
    setBackend('augment-test');
    const { x } = new AugmentedDataset(source()).batch([0]);
    expect(x.backend).toBe(getBackend());
    expect(x.backend.name).toBe('augment-test');
  });

  it('takes the image size from the options for non-square flattened samples', () => {
    const strips = new ArrayDataset({
      features: Uint8Array.from({ length: 20 }, (_, k) => (k % 10) * 20),
      labels: Uint8Array.of(0, 1),
      sampleShape: [10],
    });
    expect(() => new AugmentedDataset(strips).batch([0])).toThrow(
      'AugmentedDataset: batch x has shape [1,10]: 10 features are not a square image, so its size cannot be inferred; give options.height and options.width',
    );
    const shifted = new AugmentedDataset(strips, {
      height: 2,
      width: 5,
      maxShift: 0,
      maxRotation: 0,
      maxScale: 0,
    }).batch([1]);
    expect(bytes(shifted.x.dataSync())).toEqual(bytes(strips.batch([1]).x.dataSync()));
    expect(() => new AugmentedDataset(strips, { height: 3, width: 3 }).batch([0])).toThrow(
      'AugmentedDataset: batch x has shape [1,10]: 10 features are not a whole number of options.height × options.width = 3×3 images',
    );
  });

  it('names the option or shape it refuses', () => {
    expect(() => new AugmentedDataset(source(), { height: 28 })).toThrow(
      'AugmentedDataset: give both options.height and options.width, or neither (got only height)',
    );
    expect(() => new AugmentedDataset(source(), { height: 0, width: 28 })).toThrow(
      'AugmentedDataset: options.height must be a positive integer, got 0',
    );
    expect(() => new AugmentedDataset(source(), { maxScale: -0.1 })).toThrow(
      'AugmentedDataset: options.maxScale must be a finite number ≥ 0, got -0.1',
    );
    expect(() => new AugmentedDataset(source(false), { height: 14, width: 56 }).batch([0])).toThrow(
      'AugmentedDataset: batch x has shape [1,1,28,28], whose images are 28×28, but options.height × options.width is 14×56',
    );
    const vectors = new ArrayDataset({
      features: new Uint8Array(16),
      labels: Uint8Array.of(0),
      sampleShape: [2, 2, 2, 2],
      transforms: { flatten: false },
    });
    expect(() => new AugmentedDataset(vectors).batch([0])).toThrow(
      'AugmentedDataset: batch x has shape [1,2,2,2,2]; expected images [N, H, W] or [N, C, H, W], or flattened [N, F]',
    );
  });
});
