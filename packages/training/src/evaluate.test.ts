import { ArrayDataset } from '@scratchnet/datasets';
import { Linear } from '@scratchnet/layers';
import { tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { evaluate, formatConfusion, formatPercent } from './evaluate.js';

/**
 * A 2 → 3 linear classifier whose logits are worked out by hand: W = [[1, 0], [0, 1], [0, 0]],
 * b = 0, so x = (a, b) gives logits (a, b, 0).
 */
function handModel(): Linear {
  const layer = new Linear(2, 3);
  layer.weight.assign(
    tensor([
      [1, 0],
      [0, 1],
      [0, 0],
    ]),
  );
  layer.bias!.assign(tensor([0, 0, 0]));
  return layer;
}

const data = new ArrayDataset({
  // logits: (2, 0, 0) → 0; (0, 3, 0) → 1; (0, 0, 0) → 0 (the first of a tie); (−1, −1, 0) → 2
  features: Float32Array.of(2, 0, 0, 3, 0, 0, -1, -1),
  labels: Uint8Array.of(0, 1, 2, 2),
  sampleShape: [2],
  numClasses: 3,
  transforms: { normalize: false },
});

describe('evaluate', () => {
  it('calls the model through apply, so its forward hooks run once per batch', async () => {
    const model = handModel();
    const sizes: number[] = [];
    model.registerForwardHook((_m, x) => void sizes.push(x.shape[0]!));
    await evaluate(model, data, { batchSize: 3 });
    expect(sizes).toEqual([3, 1]);
  });

  it('gives the loss, accuracy, per-class accuracy and confusion matrix worked out by hand', async () => {
    const model = handModel();
    const result = await evaluate(model, data, { batchSize: 3 });
    const e = Math.E;
    const losses = [
      Math.log(1 + 2 * e ** -2),
      Math.log(1 + 2 * e ** -3),
      Math.log(3),
      Math.log(1 + 2 / e),
    ];
    expect(result.samples).toBe(4);
    expect(result.loss).toBeCloseTo(losses.reduce((a, b) => a + b) / 4, 6);
    expect(result.accuracy).toBe(0.75);
    expect(result.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(result.perClassAccuracy).toEqual([1, 1, 0.5]);
    expect(Array.from(result.predictions)).toEqual([0, 1, 0, 2]);
    expect(Array.from(result.labels)).toEqual([0, 1, 2, 2]);
    const expectedConfidence = [
      e ** 2 / (e ** 2 + 2),
      e ** 3 / (e ** 3 + 2),
      1 / 3,
      1 / (1 + 2 / e),
    ];
    for (const [i, c] of result.confidences.entries()) {
      expect(c).toBeCloseTo(expectedConfidence[i]!, 6);
    }
  });

  it('runs in evaluation mode and restores the mode', async () => {
    const model = handModel();
    const modes: boolean[] = [];
    const original = model.forward.bind(model);
    model.forward = (x) => {
      modes.push(model.training);
      return original(x);
    };
    await evaluate(model, data, { batchSize: 2 });
    expect(modes).toEqual([false, false]);
    expect(model.training).toBe(true);
  });

  it('evaluates only the first `limit` samples', async () => {
    const result = await evaluate(handModel(), data, { limit: 2 });
    expect(result.samples).toBe(2);
    expect(result.accuracy).toBe(1);
  });

  it('formats as the book prints', () => {
    expect(formatPercent(0.98912)).toBe('98.91%');
    expect(
      formatConfusion([
        [3, 1],
        [0, 12],
      ]).split('\n'),
    ).toEqual(['true\\pred     0    1', '0             3    1', '1             0   12']);
  });
});
