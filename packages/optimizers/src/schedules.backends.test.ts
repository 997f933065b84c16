import { readFileSync } from 'node:fs';
import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { SGD } from './optimizers.js';
import {
  cosineAnnealing,
  LrScheduler,
  linearWarmup,
  type Schedule,
  stepDecay,
} from './schedules.js';

interface TorchSchedule {
  name: string;
  schedule: 'stepDecay' | 'cosineAnnealing' | 'linearWarmup';
  args: (number | null)[];
  /** The learning rate before the first step and after each scheduler step. */
  rates: number[];
}

const { schedules } = JSON.parse(
  readFileSync(new URL('./fixtures/torch-optimizers.json', import.meta.url), 'utf8'),
) as { schedules: TorchSchedule[] };

const fromArgs = ({ schedule, args }: TorchSchedule): Schedule => {
  const [lr, steps, third, fourth] = args as [number, number, number | null, number | undefined];
  if (schedule === 'stepDecay') return stepDecay(lr, steps, third!);
  if (schedule === 'cosineAnnealing') return cosineAnnealing(lr, steps, third!);
  return linearWarmup(lr, steps, undefined, fourth);
};

describeEachBackend('schedules against torch.optim.lr_scheduler', () => {
  it.each(schedules.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const schedule = fromArgs(s);
    s.rates.forEach((rate, step) => {
      expect(schedule(step), `step ${step}`).toBeCloseTo(rate, 12);
    });
  });
});

describeEachBackend('schedules', () => {
  it('stepDecay multiplies by gamma every stepSize steps', () => {
    const schedule = stepDecay(0.1, 10, 0.5);
    expect([0, 9, 10, 19, 20, 25].map(schedule)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(() => stepDecay(0.1, 0)).toThrow(/stepSize must be ≥ 1/);
  });

  it('cosineAnnealing starts at lr, halves at the midpoint, ends and stays at minLr', () => {
    const schedule = cosineAnnealing(0.1, 100, 0.002);
    expect(schedule(0)).toBeCloseTo(0.1, 12);
    expect(schedule(50)).toBeCloseTo((0.1 + 0.002) / 2, 12);
    expect(schedule(25)).toBeCloseTo(0.002 + (0.098 * (1 + Math.SQRT1_2)) / 2, 12);
    expect(schedule(100)).toBeCloseTo(0.002, 12);
    expect(schedule(150)).toBeCloseTo(0.002, 12);
  });

  it('linearWarmup rises to lr, then hands over to the next schedule', () => {
    const schedule = linearWarmup(0.1, 4, cosineAnnealing(0.1, 10));
    // Default start factor 1/4: 0.025, 0.04375, …
    expect(schedule(0)).toBeCloseTo(0.025, 12);
    expect(schedule(2)).toBeCloseTo(0.0625, 12);
    expect(schedule(4)).toBeCloseTo(0.1, 12);
    expect(schedule(9)).toBeCloseTo(0.05, 12);
    expect(schedule(14)).toBeCloseTo(0, 12);
    expect(linearWarmup(0.1, 4)(100)).toBe(0.1);
  });

  it('LrScheduler sets the optimizer’s lr at once and after each step', () => {
    const optimizer = new SGD([tensor([1])], { lr: 1 });
    const scheduler = new LrScheduler(optimizer, stepDecay(0.1, 2, 0.1));
    expect(optimizer.lr).toBe(0.1);
    scheduler.step();
    expect(optimizer.lr).toBe(0.1);
    scheduler.step();
    expect(optimizer.lr).toBeCloseTo(0.01, 15);
    expect(scheduler.count).toBe(2);
  });
});
