/**
 * What a new user meets first: option objects checked, `fit` on plain tensors and arrays, one-image
 * `predict`, and divergence and non-finite outputs named where they arise.
 */
import { ArrayDataset } from '@scratchnet/datasets';
import { createNetwork, type Network, SimpleConvNet } from '@scratchnet/layers';
import {
  manualSeed,
  RandomGenerator,
  softmax,
  type Tensor,
  tensor,
  zeros,
} from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { DivergenceError } from './divergence.js';
import { evaluate } from './evaluate.js';
import { type Prediction, predict, predictAsync } from './predict.js';
import { fit, Trainer, type TrainerOptions, TrainerSetupError } from './trainer.js';

/** 200 points of 4 features; the class is the largest of the first three. */
function blobs(n = 200, seed = 7): { x: Float32Array; y: Int32Array } {
  const random = new RandomGenerator(seed);
  const x = Float32Array.from({ length: n * 4 }, () => random.normal());
  const y = Int32Array.from({ length: n }, (_, i) => {
    const row = x.subarray(i * 4, i * 4 + 3);
    return row.indexOf(Math.max(...row));
  });
  return { x, y };
}

function mlp(seed = 1): Network {
  manualSeed(seed);
  return createNetwork({ architecture: 'mlp', inputSize: 4, hiddenSizeList: [16], outputSize: 3 });
}

describe('fit options are checked', () => {
  const data = () =>
    new ArrayDataset({ ...blobs(), sampleShape: [4], features: blobs().x, labels: blobs().y });

  it('refuses a misspelt key, suggesting the option it was meant to be', () => {
    expect(() => new Trainer(mlp(), data(), { epoch: 1 } as TrainerOptions)).toThrow(
      /^Trainer: unknown option "epoch" \(did you mean "epochs"\?\); the options are optimizer, lr, /,
    );
    expect(
      () =>
        new Trainer(mlp(), data(), {
          callbacks: { onEpochEnded: () => {} },
        } as unknown as TrainerOptions),
    ).toThrow(/Trainer callbacks: unknown option "onEpochEnded" \(did you mean "onEpochEnd"\?\)/);
  });

  it('refuses lr ≤ 0 and a negative trainEvalSamples, naming the option and value', () => {
    expect(() => new Trainer(mlp(), data(), { lr: 0 })).toThrow(
      'Trainer: lr must be a number > 0, got 0',
    );
    expect(() => new Trainer(mlp(), data(), { trainEvalSamples: -1 })).toThrow(
      'Trainer: trainEvalSamples must be a whole number ≥ 0 (0 for none), got -1',
    );
  });
});

describe('fit on tensors and arrays', () => {
  it('trains from { x, y } as typed arrays, and as tensors with one-hot labels, alike', async () => {
    const { x, y } = blobs();
    const options = { epochs: 2, batchSize: 20, lr: 0.01, trainEvalSamples: 200, seed: 2 };
    const fromArrays = await fit(mlp(), { x, y }, options);
    const oneHot = tensor(
      Array.from(y).flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))),
      [200, 3],
    );
    const fromTensors = await fit(mlp(), { x: tensor(x, [200, 4]), y: oneHot }, options);
    expect(fromArrays.history).toHaveLength(2);
    expect(fromArrays.history[1]!.trainAccuracy!).toBeGreaterThan(0.8);
    expect(fromTensors.history.map((h) => h.trainLoss)).toEqual(
      fromArrays.history.map((h) => h.trainLoss),
    );
  });

  it('names a mismatch between x and y', async () => {
    const { x, y } = blobs();
    await expect(fit(mlp(), { x, y: y.subarray(0, 199) })).rejects.toThrow(
      'fit: 199 labels in y for 200 samples in x',
    );
    await expect(fit(mlp(), { x: x.subarray(0, 7), y })).rejects.toThrow(
      'fit: x holds 7 values, not a whole number of samples of shape [4]',
    );
  });
});

describe('predict', () => {
  manualSeed(3);
  const net = new SimpleConvNet({ filterNum: 4, hiddenSize: 8 });
  const images = tensor(
    Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 37) % 101) / 100),
    [3, 1, 28, 28],
  );
  /** The softmax of the logits, as the user would compute it by hand. */
  const byHand = (x: Tensor) => {
    net.eval();
    const p = softmax(net.forward(x), 1).toArray() as number[][];
    net.train();
    return p;
  };

  it('gives the probabilities and class of one image, in evaluation mode without gradients', () => {
    const one = images.narrow(0, 1, 1).reshape([1, 28, 28]);
    const result = predict(net, one) as Prediction;
    const expected = byHand(images.narrow(0, 1, 1))[0]!;
    expect(Array.isArray(result)).toBe(false);
    expect(Array.from(result.probabilities)).toEqual(expected.map(Math.fround));
    expect(result.class).toBe(expected.indexOf(Math.max(...expected)));
    expect(net.training).toBe(true); // the mode is restored
    // The same image as 784 plain numbers.
    expect((predict(net, Array.from(one.dataSync())) as Prediction).class).toBe(result.class);
  });

  it('gives an array of predictions for a batch, synchronously and asynchronously', async () => {
    const all = predict(net, images) as Prediction[];
    expect(all).toHaveLength(3);
    const expected = byHand(images);
    all.forEach((p, i) => {
      expect(Array.from(p.probabilities)).toEqual(expected[i]!.map(Math.fround));
    });
    expect(await predictAsync(net, images)).toEqual(all);
  });

  it('names an input that is neither a sample nor a batch', () => {
    expect(() => predict(net, zeros([2, 3, 28, 28]))).toThrow(
      "predict: input [2, 3, 28, 28] is neither one sample of SimpleConvNet's input [1, 28, 28] nor a batch of them ([N, 1, 28, 28])",
    );
  });
});

describe('divergence and non-finite outputs', () => {
  it("stops a run whose loss explodes (onDivergence 'stop', the default), naming the step", async () => {
    const { x, y } = blobs(400);
    const error = await fit(
      mlp(),
      { x, y },
      {
        optimizer: 'sgd',
        lr: 50,
        epochs: 5,
        batchSize: 10,
        trainEvalSamples: 0,
        divergence: { window: 10 },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const { step, divergence, message } = error as DivergenceError;
    expect(divergence.kind).toBe('exploding');
    expect(message).toMatch(
      new RegExp(
        `^step ${step} \\(epoch \\d, batch \\d+ of 40\\): the mean loss of the last 10 steps is .*, far above the first step's .*\\. Training diverged: lower the learning rate \\(now 50\\)`,
      ),
    );
  });

  it("warns once with 'warn' and goes on", async () => {
    const { x, y } = blobs(400);
    const seen: string[] = [];
    const result = await fit(
      mlp(),
      { x, y },
      {
        optimizer: 'sgd',
        lr: 50,
        epochs: 2,
        batchSize: 10,
        trainEvalSamples: 0,
        onNonFinite: 'skip',
        onDivergence: 'warn',
        divergence: { window: 10 },
        callbacks: { onDiverged: ({ message }) => void seen.push(message) },
      },
    );
    expect(result.completed).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^step \d+ \(epoch 1, batch \d+ of 40\): the mean loss/);
  });

  it('a healthy run is not stopped', async () => {
    const { x, y } = blobs(400);
    const result = await fit(mlp(), { x, y }, { epochs: 3, batchSize: 10, trainEvalSamples: 0 });
    expect(result.completed).toBe(true);
  });

  it('evaluate refuses a non-finite output, naming the first sample that gave one', async () => {
    const net = mlp();
    const data = new ArrayDataset({ features: blobs().x, labels: blobs().y, sampleShape: [4] });
    // fc1.weight[0][0] = +∞: a sample whose first feature is > 0 gives +∞ after the ReLU, then
    // ∞ − ∞ = NaN in fc2; one whose first feature is < 0 gives −∞, which the ReLU turns into 0.
    const w = net.parameters()[0]!;
    const values = w.dataSync();
    values[0] = Number.POSITIVE_INFINITY;
    w.assign(tensor(values, w.shape));
    const { x } = blobs();
    const firstBad = Array.from({ length: 200 }, (_, i) => x[i * 4]!).findIndex((v) => v > 0);
    expect(firstBad).toBeGreaterThan(0);
    await expect(evaluate(net, data, { batchSize: 50 })).rejects.toThrow(
      `evaluate: the model's output for sample ${firstBad} of the data set is not finite (its loss is NaN): check that sample's values and the model's weights`,
    );
  });
});

describe('resuming names what differs', () => {
  const data = (n: number) => {
    const { x, y } = blobs(n);
    return new ArrayDataset({ features: x, labels: y, sampleShape: [4] });
  };

  it('a checkpoint of another network names the differing field', async () => {
    const trainer = new Trainer(mlp(), data(200), { epochs: 1, trainEvalSamples: 0 });
    await trainer.trainStep();
    const bytes = await trainer.saveCheckpoint();
    manualSeed(1);
    const wider = createNetwork({
      architecture: 'mlp',
      inputSize: 4,
      hiddenSizeList: [32],
      outputSize: 3,
    });
    expect(() => new Trainer(wider, data(200)).loadCheckpoint(bytes, 'run.ckpt')).toThrow(
      "run.ckpt: the checkpoint is of another network than this trainer's mlp: hiddenSizeList.0: 16 in the checkpoint, 32 in the model",
    );
  });

  it('a checkpoint resumed on other data or batches says which', async () => {
    const trainer = new Trainer(mlp(), data(200), { batchSize: 20, trainEvalSamples: 0 });
    await trainer.trainStep();
    const bytes = await trainer.saveCheckpoint();
    const other = mlp();
    const weightsBefore = other.stateDict()['fc1.weight']!.dataSync().slice();
    expect(() =>
      new Trainer(other, data(100), {
        batchSize: 10,
        trainEvalSamples: 0,
        optimizer: 'sgd',
      }).loadCheckpoint(bytes, 'run.ckpt'),
    ).toThrow(
      'run.ckpt: the state was saved with other settings: samples 200 then, 100 now; batchSize 20 then, 10 now; lr 0.001 then, 0.01 now; optimizer "Adam" then, "SGD" now. Resume with the same data and options, or start a new run',
    );
    // Refused before anything was loaded: the model keeps its own weights.
    expect(other.stateDict()['fc1.weight']!.dataSync()).toEqual(weightsBefore);
    // The same data and batch size resume.
    new Trainer(mlp(), data(200), { batchSize: 20, trainEvalSamples: 0 }).loadCheckpoint(bytes);
  });

  it('a state resumed with another seed or sampling names each setting, for the CLI to word', async () => {
    const options = { batchSize: 20, trainEvalSamples: 0, seed: 3 } as const;
    const trainer = new Trainer(mlp(), data(200), options);
    await trainer.trainStep();
    const state = await trainer.getState();
    expect(state.setup).toEqual({
      samples: 200,
      batchSize: 20,
      sampling: 'shuffle',
      seed: 3,
      augment: null,
      lrSchedule: null,
      lr: 0.001,
      clipGradNorm: null,
      optimizer: 'Adam',
    });
    const other = new Trainer(mlp(), data(200), { ...options, seed: 4, sampling: 'replacement' });
    let error: unknown;
    try {
      other.setState(state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainerSetupError);
    expect((error as TrainerSetupError).differences).toEqual([
      { name: 'sampling', saved: '"shuffle"', current: '"replacement"' },
      { name: 'seed', saved: '3', current: '4' },
    ]);
    // A state saved before `setup` was recorded (only `data`) still resumes.
    const { setup: _setup, ...older } = state;
    new Trainer(mlp(), data(200), options).setState({
      ...older,
      data: { samples: 200, batchSize: 20 },
    });
  });
});
