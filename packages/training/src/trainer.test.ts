import { ArrayDataset } from '@scratchnet/datasets';
import { loadMnist } from '@scratchnet/datasets/node';
import { createNetwork, type Network } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import {
  type Backend,
  cpuBackend,
  manualSeed,
  registerBackend,
  setBackend,
} from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteError } from './non-finite.js';
import { type EpochResult, fit, Trainer, type TrainerOptions } from './trainer.js';

let train: ArrayDataset;
let test: ArrayDataset;

beforeAll(() => {
  const mnist = loadMnist({ normalize: true, flatten: false });
  const first = (d: ArrayDataset, n: number) => d.subset(Array.from({ length: n }, (_, i) => i));
  train = first(mnist.train.dataset, 600);
  test = first(mnist.test.dataset, 300);
});

/** A small MLP with dropout (so the global generator matters), seeded. */
function smallNet(seed = 1): Network {
  manualSeed(seed);
  return createNetwork({
    architecture: 'mlp',
    inputSize: 784,
    hiddenSizeList: [32],
    outputSize: 10,
    useDropout: true,
    dropoutRatio: 0.2,
  });
}

function weightsOf(net: Network): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(net.stateDict()).map(([name, t]) => [name, Array.from(t.dataSync())]),
  );
}

describe('Trainer', () => {
  it('calls the model through apply, so a forward hook on the model itself runs', async () => {
    const net = smallNet();
    const shapes: number[][] = [];
    const handle = net.registerForwardHook((_m, _x, y) => void shapes.push([...y.shape]));
    const seenBatches: number[] = [];
    await new Trainer(net, train, {
      epochs: 1,
      batchSize: 100,
      trainEvalSamples: 0,
      callbacks: { onStepEnd: ({ batch }) => void seenBatches.push(batch.labels.length) },
    }).fit();
    // Six training steps of 100 (the batch each step trained on reaches onStepEnd too).
    expect(shapes).toEqual(new Array(6).fill([100, 10]));
    expect(seenBatches).toEqual(new Array(6).fill(100));
    handle.remove();
    net.dispose();
  });

  it('lowers the loss and measures the training accuracy in evaluation mode', async () => {
    const net = smallNet();
    const epochs: EpochResult[] = [];
    const trainer = new Trainer(net, train, {
      optimizer: 'adam',
      lr: 0.005,
      epochs: 3,
      batchSize: 50,
      test,
      seed: 3,
      callbacks: { onEpochEnd: (r) => void epochs.push(r) },
    });
    const result = await trainer.fit();
    expect(result.completed).toBe(true);
    expect(result.steps).toBe(36);
    expect(epochs.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(epochs[2]!.trainLoss).toBeLessThan(0.6 * epochs[0]!.trainLoss);
    expect(epochs[2]!.testAccuracy).toBeGreaterThan(0.75);
    // In evaluation mode (dropout off) on the first 10,000 = all 600 training images: the same
    // figure `evaluate` gives now, with the network left in training mode.
    expect(net.training).toBe(true);
    net.eval();
    const correct = net.accuracy(
      train.batch(Array.from({ length: 600 }, (_, i) => i)).x,
      Array.from({ length: 600 }, (_, i) => train.labelAt(i)),
    );
    expect(epochs[2]!.trainAccuracy).toBe(correct);
  });

  it('reads losses back once per logging interval, every step of it', async () => {
    const net = smallNet();
    const logs: { firstStep: number; count: number }[] = [];
    const accuracies: number[] = [];
    const steps: number[] = [];
    await new Trainer(net, train, {
      epochs: 1,
      batchSize: 100,
      logEvery: 4,
      callbacks: {
        onLog: (log) => {
          logs.push({ firstStep: log.firstStep, count: log.losses.length });
          accuracies.push(...log.accuracies);
        },
        onStepEnd: (info) => void steps.push(info.step),
      },
    }).fit();
    // 6 steps: a read at step 4, and at the epoch's end for steps 5 and 6.
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(logs).toEqual([
      { firstStep: 1, count: 4 },
      { firstStep: 5, count: 2 },
    ]);
    // The share of each batch of 100 classified right, in training mode: whole hundredths.
    expect(accuracies).toHaveLength(6);
    for (const a of accuracies) expect(Math.abs(a * 100 - Math.round(a * 100))).toBeLessThan(1e-4);
    expect(accuracies[5]).toBeGreaterThan(accuracies[0]!);
  });

  it('never reads synchronously: it trains on a backend whose reads are asynchronous only', async () => {
    const asyncOnly: Backend = {
      ...cpuBackend,
      name: 'async-only',
      read: () => {
        throw new Error('async-only: no synchronous reads');
      },
    };
    registerBackend(asyncOnly);
    const run = async () => {
      const net = smallNet();
      const losses: number[] = [];
      const result = await new Trainer(net, train, {
        epochs: 2,
        batchSize: 100,
        test,
        validation: test,
        keepBest: true,
        lrSchedule: { type: 'cosine', warmupEpochs: 1 },
        clipGradNorm: 5,
        augment: {},
        onNonFinite: 'skip',
        callbacks: { onLog: (log) => void losses.push(...log.losses) },
      }).fit();
      return { net, losses, result };
    };
    setBackend('async-only');
    try {
      const { net, losses, result } = await run();
      expect(result.steps).toBe(12);
      expect(() => net.parameters()[0]!.dataSync()).toThrow('async-only: no synchronous reads');
      // The same kernels with synchronous reads allowed: the same run, bit for bit.
      setBackend('cpu');
      const reference = await run();
      expect(losses).toEqual(reference.losses);
      expect(result.history).toEqual(
        reference.result.history.map((r) => ({ ...r, seconds: expect.any(Number) })),
      );
    } finally {
      setBackend('cpu');
    }
  });

  it('resumes mid-epoch from a checkpoint to bitwise the weights of an uninterrupted run', async () => {
    const options: TrainerOptions = {
      optimizer: 'adam',
      epochs: 2,
      batchSize: 64,
      seed: 7,
      lrSchedule: { type: 'cosine', warmupEpochs: 0.5 },
      augment: { maxShift: 2, maxRotation: 10, maxScale: 0.1 },
      clipGradNorm: 1,
      trainEvalSamples: 100,
      logEvery: 3,
    };
    const whole = smallNet();
    const wholeLosses: number[] = [];
    await new Trainer(whole, train, {
      ...options,
      callbacks: { onLog: (log) => void wholeLosses.push(...log.losses) },
    }).fit();

    const first = smallNet();
    const firstLosses: number[] = [];
    const interrupted: Trainer = new Trainer(first, train, {
      ...options,
      callbacks: {
        onLog: (log) => void firstLosses.push(...log.losses),
        onStepEnd: (info): void => {
          if (info.step === 13) interrupted.stop();
        },
      },
    });
    const partial = await interrupted.fit();
    expect(partial).toMatchObject({ completed: false, steps: 13 });
    const bytes = await interrupted.saveCheckpoint();

    // Another seed everywhere: everything that matters must come from the checkpoint.
    const second = smallNet(99);
    manualSeed(12345);
    const resumed = new Trainer(second, train, {
      ...options,
      callbacks: { onLog: (log) => void firstLosses.push(...log.losses) },
    });
    resumed.loadCheckpoint(bytes);
    expect(resumed.step).toBe(13);
    expect(resumed.epoch).toBe(1);
    const rest = await resumed.fit();
    expect(rest.completed).toBe(true);
    expect(rest.history).toHaveLength(2);
    expect(firstLosses).toEqual(wholeLosses);
    expect(weightsOf(second)).toEqual(weightsOf(whole));
  });

  it('keeps the schedule in the checkpoint and refuses one saved with another schedule', async () => {
    const options: TrainerOptions = {
      epochs: 4,
      batchSize: 100,
      lrSchedule: { type: 'step', stepEpochs: 1, gamma: 0.5 },
      trainEvalSamples: 0,
    };
    const net = smallNet();
    const sgd = new SGD(net.parameters(), { lr: 0.1 });
    const trainer = new Trainer(net, train, { ...options, optimizer: sgd });
    const lrs: number[] = [];
    for (let i = 0; i < 8; i++) {
      lrs.push(sgd.lr);
      await trainer.trainStep();
    }
    // 6 steps an epoch: 0.1 for the first six, then halved.
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    const bytes = await trainer.saveCheckpoint();

    const again = smallNet();
    const sgd2 = new SGD(again.parameters(), { lr: 0.1 });
    const resumed = new Trainer(again, train, { ...options, optimizer: sgd2 });
    expect(sgd2.lr).toBe(0.1);
    resumed.loadCheckpoint(bytes);
    expect(sgd2.lr).toBe(0.05);
    expect((await resumed.getState()).schedule).toEqual({
      spec: { type: 'step', stepEpochs: 1, gamma: 0.5 },
      baseLr: 0.1,
      count: 8,
    });

    const other = smallNet();
    const cosine = new Trainer(other, train, {
      ...options,
      optimizer: new SGD(other.parameters(), { lr: 0.1 }),
      lrSchedule: { type: 'cosine' },
    });
    expect(() => cosine.loadCheckpoint(bytes, 'run/checkpoint.safetensors')).toThrow(
      /saved with other settings: lrSchedule \{"type":"step",.*\} then, \{"type":"cosine"\} now/,
    );
  });

  it('stops early when the validation loss stops improving', async () => {
    const net = smallNet();
    // A learning rate of 0 changes nothing: the validation loss never improves after epoch 1.
    const result = await new Trainer(net, train, {
      optimizer: new SGD(net.parameters(), { lr: 0 }),
      epochs: 10,
      validation: test,
      earlyStopping: { patience: 2 },
      trainEvalSamples: 0,
    }).fit();
    expect(result).toMatchObject({ completed: true, stoppedEarly: true, bestEpoch: 1, steps: 18 });
    expect(result.history).toHaveLength(3);
  });

  it('keeps the best validation epoch and restores its weights', async () => {
    // Validation labels shifted by one: the better the network learns, the worse it scores, so
    // the first epoch is the best and the last is not.
    const shifted = new ArrayDataset({
      features: test.batch(Array.from({ length: 100 }, (_, i) => i)).x.dataSync(),
      labels: Uint8Array.from({ length: 100 }, (_, i) => (test.labelAt(i) + 1) % 10),
      sampleShape: [1, 28, 28],
      numClasses: 10,
      transforms: { normalize: false, flatten: false },
    });
    const net = smallNet();
    const snapshots: Record<string, number[]>[] = [];
    const result = await new Trainer(net, train, {
      epochs: 3,
      validation: shifted,
      keepBest: true,
      trainEvalSamples: 0,
      callbacks: { onEpochEnd: () => void snapshots.push(weightsOf(net)) },
    }).fit();
    expect(result.bestEpoch).toBe(1);
    const losses = result.history.map((r) => r.validationLoss!);
    expect(losses[0]).toBeLessThan(Math.min(losses[1]!, losses[2]!));
    expect(weightsOf(net)).toEqual(snapshots[0]);
    expect(weightsOf(net)).not.toEqual(snapshots[2]);
  });

  it('needs a validation set for early stopping and keep-best', () => {
    expect(() => new Trainer(smallNet(), train, { keepBest: true })).toThrow(
      /give options.validation/,
    );
  });

  it('a NaN in the data is refused where it is, naming the sample, not blamed on the lr', async () => {
    const features = new Float32Array(100 * 784);
    features.set(train.batch(Array.from({ length: 100 }, (_, i) => i)).x.dataSync());
    features[37 * 784 + 300] = Number.NaN;
    const data = new ArrayDataset({
      features,
      labels: Uint8Array.from({ length: 100 }, (_, i) => train.labelAt(i)),
      sampleShape: [1, 28, 28],
      name: 'poisoned',
    });
    const error = await fit(smallNet(), data, { batchSize: 50, epochs: 1 }).catch((e) => e);
    expect((error as Error).message).toBe(
      'poisoned: sample 37 holds NaN at position 300 of its 784 features (shape [1,28,28]): inputs must be finite numbers',
    );
  });

  describe('a loss that overflows to NaN', () => {
    /** 200 images, the 150th all 3e38: finite, but its products overflow float32 to ±∞. */
    function poisoned(): ArrayDataset {
      const features = new Float32Array(200 * 784);
      features.set(train.batch(Array.from({ length: 200 }, (_, i) => i)).x.dataSync());
      features.fill(3e38, 149 * 784, 150 * 784);
      return new ArrayDataset({
        features,
        labels: Uint8Array.from({ length: 200 }, (_, i) => train.labelAt(i)),
        sampleShape: [1, 28, 28],
        numClasses: 10,
        transforms: { normalize: false, flatten: false },
      });
    }

    it("'stop' throws before that step's update, naming the step", async () => {
      const net = smallNet();
      const before = weightsOf(net);
      const trainer = new Trainer(net, poisoned(), { batchSize: 50, logEvery: 1, seed: 1 });
      const order = Array.from(trainer.loader.epochOrder());
      const step = Math.floor(order.indexOf(149) / 50) + 1;
      const error = await trainer.fit().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NonFiniteError);
      expect(error).toMatchObject({ step, tensorName: 'loss' });
      expect((error as Error).message).toMatch(
        `step ${step} (epoch 1, batch ${step} of 4): the loss is NaN. Training diverged`,
      );
      expect(trainer.step).toBe(step - 1);
      expect(Object.values(weightsOf(net)).flat().every(Number.isFinite)).toBe(true);
      expect(weightsOf(net)).not.toEqual(before);
    });

    it("'skip' drops that batch once an epoch and goes on", async () => {
      const net = smallNet();
      const skips: string[] = [];
      const result = await new Trainer(net, poisoned(), {
        batchSize: 50,
        epochs: 2,
        onNonFinite: 'skip',
        trainEvalSamples: 0,
        callbacks: { onSkip: ({ message }) => void skips.push(message) },
      }).fit();
      expect(skips).toHaveLength(2);
      expect(skips[0]).toMatch(
        /^step \d \(epoch 1, batch \d of 4\): the loss is NaN; batch skipped$/,
      );
      expect(result.steps).toBe(6);
      expect(result.history.map((r) => r.skippedBatches)).toEqual([1, 1]);
      expect(result.history.every((r) => Number.isFinite(r.trainLoss))).toBe(true);
      expect(Object.values(weightsOf(net)).flat().every(Number.isFinite)).toBe(true);
    });
  });
});
