import { RandomGenerator } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from './data-loader.js';
import { ArrayDataset } from './dataset.js';

/** n samples whose single feature is their own index, so batches show which samples they hold. */
function indexDataset(n: number): ArrayDataset {
  const features = new Float32Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    features[i] = i;
    labels[i] = i % 3;
  }
  return new ArrayDataset({ features, labels, sampleShape: [1], transforms: { normalize: false } });
}

/** The sample indices of one epoch, batch by batch. */
function epochBatches(loader: DataLoader): number[][] {
  return [...loader].map((batch) => Array.from(batch.x.dataSync()));
}

describe('DataLoader', () => {
  it('counts batches with and without dropLast', () => {
    const dataset = indexDataset(10);
    const keep = new DataLoader(dataset, { batchSize: 4 });
    expect(keep.length).toBe(3);
    expect(epochBatches(keep).map((b) => b.length)).toEqual([4, 4, 2]);

    const drop = new DataLoader(dataset, { batchSize: 4, dropLast: true });
    expect(drop.length).toBe(2);
    expect(epochBatches(drop).map((b) => b.length)).toEqual([4, 4]);

    expect(new DataLoader(indexDataset(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(indexDataset(3), { batchSize: 4, dropLast: true }).length).toBe(0);
  });

  it('gives samples in order without shuffle', () => {
    const loader = new DataLoader(indexDataset(5), { batchSize: 2 });
    expect(epochBatches(loader)).toEqual([[0, 1], [2, 3], [4]]);
    const [first] = loader;
    expect(first!.x.shape).toEqual([2, 1]);
    expect(first!.y.shape).toEqual([2]);
    expect(Array.from(first!.labels)).toEqual([0, 1]);
    expect(Array.from(first!.indices)).toEqual([0, 1]);
  });

  it('covers every index exactly once per epoch, in a new order each epoch', () => {
    const loader = new DataLoader(indexDataset(103), { batchSize: 10, shuffle: true, seed: 7 });
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(loader.epoch).toBe(epoch);
      const seen = epochBatches(loader).flat();
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
      orders.push(seen);
    }
    expect(orders[0]).not.toEqual(orders[1]);
    expect(orders[1]).not.toEqual(orders[2]);
    expect(orders[0]).not.toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it('shuffles reproducibly: same seed and epoch, same order; other seed, other order', () => {
    const make = (seed: number) =>
      new DataLoader(indexDataset(50), { batchSize: 8, shuffle: true, seed });
    const a = make(1);
    const b = make(1);
    expect(epochBatches(a)).toEqual(epochBatches(b));
    expect(epochBatches(a)).toEqual(epochBatches(b));
    expect(epochBatches(make(1))).not.toEqual(epochBatches(make(2)));

    // Epoch 2's order depends only on (seed, 2), not on having run epochs 0 and 1.
    const direct = make(1);
    direct.setEpoch(2);
    const sequential = make(1);
    epochBatches(sequential);
    epochBatches(sequential);
    expect(epochBatches(direct)).toEqual(epochBatches(sequential));
  });

  it('drops the same samples that the epoch order puts last', () => {
    const loader = new DataLoader(indexDataset(10), {
      batchSize: 4,
      shuffle: true,
      dropLast: true,
      seed: 3,
    });
    const order = Array.from(loader.epochOrder());
    expect(epochBatches(loader).flat()).toEqual(order.slice(0, 8));
  });

  it('resumes mid-epoch exactly from getState (seeded)', () => {
    const options = { batchSize: 4, shuffle: true, seed: 11 };
    const reference = new DataLoader(indexDataset(30), options);
    const full = [...epochBatches(reference), ...epochBatches(reference)];

    const first = new DataLoader(indexDataset(30), options);
    const got: number[][] = [];
    let saved = first.getState();
    for (const batch of first) {
      got.push(Array.from(batch.x.dataSync()));
      saved = first.getState();
      if (got.length === 3) break;
    }
    expect(saved).toEqual({ epoch: 0, batchIndex: 3, randomState: null });

    const resumed = new DataLoader(indexDataset(30), options);
    resumed.setState(JSON.parse(JSON.stringify(saved)));
    got.push(...epochBatches(resumed), ...epochBatches(resumed));
    expect(got).toEqual(full);
  });

  it('resumes mid-epoch exactly with a shared generator, through its saved state', () => {
    const options = () => ({ batchSize: 5, shuffle: true, generator: new RandomGenerator(42) });
    const reference = new DataLoader(indexDataset(23), options());
    const full = [epochBatches(reference), epochBatches(reference), epochBatches(reference)].flat();

    const first = new DataLoader(indexDataset(23), options());
    epochBatches(first);
    const got = full.slice(0, 5);
    let count = 0;
    for (const _batch of first) if (++count === 2) break;
    got.push(...full.slice(5, 7));
    const saved = first.getState();
    expect(saved.epoch).toBe(1);
    expect(saved.batchIndex).toBe(2);
    expect(saved.randomState).not.toBeNull();

    // A fresh generator in another state: setState must put it back.
    const resumed = new DataLoader(indexDataset(23), {
      ...options(),
      generator: new RandomGenerator(999),
    });
    resumed.setState(JSON.parse(JSON.stringify(saved)));
    got.push(...epochBatches(resumed), ...epochBatches(resumed));
    expect(got).toEqual(full);
  });

  it('moves to the next epoch as it hands out the last batch', () => {
    const loader = new DataLoader(indexDataset(4), { batchSize: 2 });
    const states = [];
    for (const _batch of loader) states.push(loader.getState());
    expect(states.map((s) => [s.epoch, s.batchIndex])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("samples with replacement as the book's Trainer does: uniform, repeats, seeded, resumable", () => {
    const n = 1000;
    const options = { batchSize: 50, shuffle: true, replacement: true, seed: 5 };
    const loader = new DataLoader(indexDataset(n), options);
    const counts = new Array<number>(n).fill(0);
    const epochs = 20;
    let first: number[][] = [];
    for (let e = 0; e < epochs; e++) {
      const batches = epochBatches(loader);
      if (e === 0) first = batches;
      expect(batches).toHaveLength(20);
      for (const batch of batches) for (const i of batch) counts[i]!++;
    }
    // One epoch of n draws with replacement misses about n/e samples (368 expected; σ ≈ 15).
    const seen = new Set(first.flat());
    expect(n - seen.size).toBeGreaterThan(368 - 60);
    expect(n - seen.size).toBeLessThan(368 + 60);
    // Uniform: over 20 epochs each sample is drawn 20 times on average; a chi-square test with
    // 999 degrees of freedom stays below 1150 with probability > 0.999.
    let chi2 = 0;
    for (const c of counts) chi2 += (c - epochs) ** 2 / epochs;
    expect(chi2).toBeLessThan(1150);
    expect(chi2).toBeGreaterThan(850);
    // Same seed, same draws; and a resumed loader continues with the same batches.
    const again = new DataLoader(indexDataset(n), options);
    expect(epochBatches(again)).toEqual(first);
    const partial = new DataLoader(indexDataset(n), options);
    const got: number[][] = [];
    for (const batch of partial) {
      got.push(Array.from(batch.x.dataSync()));
      if (got.length === 7) break;
    }
    const resumed = new DataLoader(indexDataset(n), options);
    resumed.setState(JSON.parse(JSON.stringify(partial.getState())));
    got.push(...epochBatches(resumed));
    expect(got).toEqual(first);
  });

  it('refuses bad options and nested iteration', () => {
    expect(() => new DataLoader(indexDataset(4), { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new DataLoader(indexDataset(4), { batchSize: 2, replacement: true })).toThrow(
      /replacement sampling needs shuffle: true/,
    );
    const loader = new DataLoader(indexDataset(4), { batchSize: 2 });
    expect(() => {
      for (const _outer of loader) for (const _inner of loader) break;
    }).toThrow(/while a for…of over this loader is running/);
    expect(() => loader.setState({ epoch: 0, batchIndex: 9, randomState: null })).toThrow(
      /batchIndex 9 is outside \[0, 2\]/,
    );
  });
});
