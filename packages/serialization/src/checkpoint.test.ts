import { SimpleConvNet } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import { defaultGenerator, manualSeed, randn } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { saveModel } from './model-file.js';

function trainSteps(network: SimpleConvNet, optimizer: Adam, steps: number, start: number) {
  for (let s = start; s < start + steps; s++) {
    const x = randn([4, 1, 28, 28]);
    const labels = [s % 10, (s + 1) % 10, (s + 2) % 10, (s + 3) % 10];
    optimizer.zeroGrad();
    network.loss(x, labels).backward();
    optimizer.step();
  }
}

describe('training checkpoints', () => {
  it('written and reloaded mid-training continue to bitwise the same weights', () => {
    const make = () => {
      const network = new SimpleConvNet({ filterNum: 4, hiddenSize: 8 });
      return { network, optimizer: new Adam(network.parameters()) };
    };
    // Uninterrupted: 6 steps.
    manualSeed(21);
    const a = make();
    trainSteps(a.network, a.optimizer, 6, 0);

    // Interrupted after 3 steps, checkpointed, restored into fresh objects, then 3 more.
    manualSeed(21);
    const b = make();
    trainSteps(b.network, b.optimizer, 3, 0);
    const bytes = saveCheckpoint(b.network, b.optimizer, {
      epoch: 0,
      step: 3,
      rng: defaultGenerator.getState(),
    });
    manualSeed(999); // anything the restore must undo
    const c = make();
    const checkpoint = loadCheckpoint(bytes, { source: 'ckpt' });
    c.network.loadStateDict(checkpoint.modelState);
    c.optimizer.loadStateDict(checkpoint.optimizerState);
    defaultGenerator.setState(checkpoint.training.rng);
    expect(checkpoint.training.step).toBe(3);
    trainSteps(c.network, c.optimizer, 3, 3);

    const final = (n: SimpleConvNet) =>
      Object.values(n.stateDict()).map((t) => Array.from(t.dataSync()));
    expect(final(c.network)).toEqual(final(a.network));
    expect(c.optimizer.stepCount).toBe(6);
  });

  it('refuses a model file, and a truncated checkpoint, by name', () => {
    const network = new SimpleConvNet({ filterNum: 2, hiddenSize: 4 });
    expect(() => loadCheckpoint(saveModel(network), { source: 'model.safetensors' })).toThrow(
      /model\.safetensors: not a scratchnet checkpoint/,
    );
    const bytes = saveCheckpoint(network, new Adam(network.parameters()), {
      epoch: 1,
      step: 2,
      rng: defaultGenerator.getState(),
    });
    expect(() =>
      loadCheckpoint(bytes.subarray(0, bytes.length - 10), { source: 'checkpoint.safetensors' }),
    ).toThrow(/checkpoint\.safetensors/);
  });
});
