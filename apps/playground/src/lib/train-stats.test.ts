import { describe, expect, it } from 'vitest';
import { accuracyRange, accuracySummary, ThroughputWindow } from './train-stats.js';

describe('ThroughputWindow', () => {
  it('says nothing after a single step, or before 20 steps of a run', () => {
    const meter = new ThroughputWindow();
    meter.reset(1000);
    meter.record(1003.8, 64); // one quick step: 16,842 images/s if it were believed
    expect(meter.rate).toBeNull();
    for (let i = 2; i <= 19; i++) meter.record(1000 + i * 50, 64);
    expect(meter.rate).toBeNull();
    meter.record(1000 + 20 * 50, 64);
    expect(meter.steps).toBe(20);
    // 19 steps of 50 ms after one of 3.8 ms: 20 × 64 images in 1000 ms.
    expect(meter.rate).toBeCloseTo(1280, 6);
  });

  it('measures the last `span` steps only, and a reset drops the idle time before it', () => {
    const meter = new ThroughputWindow(5, 10);
    meter.reset(0);
    for (let i = 1; i <= 10; i++) meter.record(i * 100, 32); // 320 images/s
    expect(meter.rate).toBeCloseTo(320, 6);
    for (let i = 11; i <= 30; i++) meter.record(1000 + (i - 10) * 50, 32); // then 640 images/s
    expect(meter.rate).toBeCloseTo(640, 6);
    meter.reset(60_000); // paused for a minute
    meter.record(60_050, 32);
    expect(meter.rate).toBeNull();
  });
});

describe('accuracySummary', () => {
  it('gives the latest and the best evaluation', () => {
    expect(accuracySummary([])).toBeNull();
    const runs = [
      { step: 50, accuracy: 0.81, count: 1000 },
      { step: 100, accuracy: 0.9, count: 1000 },
      { step: 150, accuracy: 0.88, count: 1000 },
      { step: 150, accuracy: 0.884, count: 10_000 },
    ];
    expect(accuracySummary(runs)).toEqual({ final: runs[3], best: runs[1] });
  });
});

describe('accuracyRange', () => {
  it('zooms to the later values instead of 0–1', () => {
    // Test accuracy every 50 steps over two epochs: a climb from chance, then 95–98%.
    const climb = [0.1, 0.62, 0.85, 0.9, 0.93, 0.95, 0.955, 0.96, 0.962, 0.965];
    for (let i = 0; i < 20; i++) climb.push(0.965 + i * 0.0008);
    const [lo, hi] = accuracyRange(climb);
    expect(lo).toBeGreaterThanOrEqual(0.85);
    expect(lo).toBeLessThanOrEqual(0.9);
    expect(hi).toBe(1);
  });

  it('keeps [0, 1] with no data, and everything when there are few points', () => {
    expect(accuracyRange([])).toEqual([0, 1]);
    expect(accuracyRange([null, 0.12, 0.3])).toEqual([0.1, 0.35]);
    expect(accuracyRange([0.1, 0.1, 0.1])).toEqual([0.05, 0.15]);
  });
});
