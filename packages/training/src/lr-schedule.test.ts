import { describe, expect, it } from 'vitest';
import { buildLrSchedule, checkLrScheduleSpec } from './lr-schedule.js';

describe('buildLrSchedule', () => {
  it('warms up linearly, then follows half a cosine to minLr at the last step', () => {
    // 10 steps an epoch, 5 epochs, 1 epoch of warm-up: 40 cosine steps.
    const schedule = buildLrSchedule(
      { type: 'cosine', warmupEpochs: 1, minLr: 0.0001 },
      0.001,
      10,
      5,
    );
    expect(schedule(0)).toBeCloseTo(0.0001, 12); // lr / warmup steps
    expect(schedule(5)).toBeCloseTo(0.00055, 12);
    expect(schedule(10)).toBe(0.001);
    // Halfway through the cosine: the mean of lr and minLr.
    expect(schedule(30)).toBeCloseTo(0.00055, 12);
    expect(schedule(50)).toBeCloseTo(0.0001, 12);
    expect(schedule(80)).toBeCloseTo(0.0001, 12);
  });

  it('decays by gamma every stepEpochs epochs', () => {
    const schedule = buildLrSchedule({ type: 'step', stepEpochs: 2, gamma: 0.5 }, 0.1, 100, 6);
    expect([0, 199, 200, 399, 400].map(schedule)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('keeps a constant rate after its warm-up', () => {
    const schedule = buildLrSchedule({ type: 'constant', warmupEpochs: 0.5 }, 0.01, 4, 3);
    expect([0, 1, 2, 3, 11].map(schedule)).toEqual([0.005, 0.0075, 0.01, 0.01, 0.01]);
  });

  it('names the field that is out of range', () => {
    expect(() => checkLrScheduleSpec({ type: 'linear' as never })).toThrow(
      'lr schedule: type "linear" is not one of constant, step, cosine',
    );
    expect(() => checkLrScheduleSpec({ type: 'step', gamma: 2 })).toThrow(
      'lr schedule: gamma must be a number in (0, 1], got 2',
    );
    expect(() => checkLrScheduleSpec({ type: 'cosine', warmupEpochs: -1 })).toThrow(
      'lr schedule: warmupEpochs must be a number ≥ 0, got -1',
    );
  });
});
