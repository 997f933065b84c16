import { ArrayDataset } from '@scratchnet/datasets';
import { MultiLayerNet } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed, noGrad, RandomGenerator } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { drawBatchIndices, lossRace, trainInLockstep } from './lockstep.js';

/** 60 points of 4 features in 3 classes, the class set by the largest of the first three. */
function toyData(): ArrayDataset {
  const random = new RandomGenerator(7);
  const features = Float32Array.from({ length: 60 * 4 }, () => random.normal());
  const labels = Uint8Array.from({ length: 60 }, (_, i) => {
    const row = features.subarray(i * 4, i * 4 + 3);
    return row.indexOf(Math.max(...row));
  });
  return new ArrayDataset({
    features,
    labels,
    sampleShape: [4],
    numClasses: 3,
    transforms: { normalize: false },
  });
}

const toyNet = (seed: number) => {
  manualSeed(seed);
  return new MultiLayerNet({ inputSize: 4, hiddenSizeList: [8], outputSize: 3 });
};

const weights = (net: MultiLayerNet) =>
  net.namedParameters().map(([name, p]) => [name, [...p.dataSync()]]);

describe('trainInLockstep', () => {
  it('draws the batches as np.random.choice does: with replacement, from the seed', () => {
    const a = drawBatchIndices(new RandomGenerator(3), 10, 1000);
    const random = new RandomGenerator(3);
    expect([...a]).toEqual(Array.from({ length: 1000 }, () => random.integer(10)));
    expect(Math.min(...a)).toBe(0);
    expect(Math.max(...a)).toBe(9);
  });

  it('steps every contender on the same batch, as a step-by-step replay does', async () => {
    const data = toyData();
    const [a, b, replay] = [toyNet(1), toyNet(1), toyNet(1)];
    const batches: Int32Array[] = [];
    const ran = await trainInLockstep(
      data,
      [a, b].map((network) => ({ network, optimizer: new SGD(network.parameters(), { lr: 0.1 }) })),
      {
        iterations: 100,
        batchSize: 8,
        seed: 5,
        afterStep: (i, batch) => {
          batches.push(batch.indices);
          return i === 4; // stop after the fifth
        },
      },
    );
    expect(ran).toBe(5);
    const random = new RandomGenerator(5);
    const optimizer = new SGD(replay.parameters(), { lr: 0.1 });
    for (const indices of batches) {
      expect([...indices]).toEqual([...drawBatchIndices(random, 60, 8)]);
      const { x, labels } = data.batch(indices);
      optimizer.zeroGrad();
      replay.loss(x, labels).backward();
      optimizer.step();
    }
    expect(weights(a)).toEqual(weights(replay));
    expect(weights(b)).toEqual(weights(replay));
    expect(weights(a)).not.toEqual(weights(toyNet(1)));
  });

  it('stops when its signal is aborted, rejecting with the reason', async () => {
    const data = toyData();
    const net = toyNet(1);
    const controller = new AbortController();
    let steps = 0;
    const run = trainInLockstep(
      data,
      [{ network: net, optimizer: new SGD(net.parameters(), { lr: 0.1 }) }],
      {
        iterations: 1000,
        batchSize: 8,
        signal: controller.signal,
        afterStep: (i) => {
          steps = i + 1;
          if (i === 2) controller.abort();
          return false;
        },
      },
    );
    await expect(run).rejects.toThrow(/abort/i);
    expect(steps).toBe(3);
    const already = trainInLockstep(data, [], {
      iterations: 5,
      batchSize: 8,
      signal: AbortSignal.abort(new Error('left the page')),
    });
    await expect(already).rejects.toThrow('left the page');
  });
});

describe('lossRace', () => {
  it('records each loss on the iteration’s batch just after the update, and they fall', async () => {
    const data = toyData();
    const net = toyNet(2);
    let lastBatch: Int32Array | null = null;
    const seen: number[] = [];
    const [curve] = await lossRace(
      data,
      [{ name: 'SGD', network: net, optimizer: new SGD(net.parameters(), { lr: 0.5 }) }],
      {
        iterations: 60,
        batchSize: 20,
        seed: 9,
        onIteration: (i, losses) => {
          seen.push(losses.SGD!);
          if (i === 59)
            lastBatch = drawBatchIndices(new RandomGenerator(9), 60, 20 * 60).slice(-20);
        },
      },
    );
    expect(curve!.name).toBe('SGD');
    expect(curve!.losses).toEqual(seen);
    expect(curve!.losses).toHaveLength(60);
    const { x, labels } = data.batch(lastBatch!);
    const again = noGrad(() => net.loss(x, labels).item());
    expect(curve!.losses[59]).toBeCloseTo(again, 6);
    const mean = (v: number[]) => v.reduce((s, y) => s + y, 0) / v.length;
    expect(mean(curve!.losses.slice(-10))).toBeLessThan(0.6 * mean(curve!.losses.slice(0, 10)));
  });
});
