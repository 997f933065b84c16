import { ArrayDataset } from '@scratchnet/datasets';
import { MultiLayerNetExtend } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed, noGrad, RandomGenerator, tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { runBookTrainer } from './book-trainer.js';

/** 20 copies of one sample, so that every batch drawn holds the same values. */
function oneSampleRepeated(): ArrayDataset {
  const random = new RandomGenerator(3);
  const sample = Array.from({ length: 6 }, () => random.normal());
  return new ArrayDataset({
    features: Float32Array.from({ length: 20 * 6 }, (_, i) => sample[i % 6]!),
    labels: new Uint8Array(20).fill(2),
    sampleShape: [6],
    numClasses: 3,
  });
}

describe('runBookTrainer', () => {
  it('reports the train loss as the book’s Trainer: after the update, dropout off', async () => {
    const data = oneSampleRepeated();
    manualSeed(5);
    const net = new MultiLayerNetExtend({
      inputSize: 6,
      hiddenSizeList: [16, 16],
      outputSize: 3,
      useDropout: true,
      dropoutRatio: 0.5,
      weightDecayLambda: 0.1,
    });
    const x = tensor(Array.from(data.features.subarray(0, 60)), [10, 6]);
    const labels = new Array(10).fill(2);
    const evalLoss = () => {
      net.eval();
      const loss = noGrad(() => net.loss(x, labels).item());
      net.train();
      return loss;
    };
    const before = evalLoss();
    const reported: number[] = [];
    await runBookTrainer(net, data, data, {
      optimizer: new SGD(net.parameters(), { lr: 0.5 }),
      miniBatchSize: 10,
      iterations: 1,
      onLoss: (loss) => void reported.push(loss),
    });
    const after = evalLoss();
    expect(reported).toHaveLength(1);
    // The update moved the loss, and the one reported is the one after it, without dropout's
    // noise (with dropout on it would differ from any evaluation-mode loss).
    expect(Math.abs(after - before)).toBeGreaterThan(1e-2);
    expect(reported[0]).toBeCloseTo(after, 6);
    x.dispose();
  });
});
