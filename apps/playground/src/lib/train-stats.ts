/**
 * Numbers the Train view shows beside its charts, worked out from what the worker sends: the
 * throughput over a window of real steps, the final and best test accuracy, and the range the
 * accuracy chart zooms to.
 */

/**
 * Images per second over the last `span` steps of one continuous run. `reset()` when a run
 * starts (Start, Resume); `record()` after every step. Until `minSteps` steps were timed the rate
 * is null (a single Step or the first moments of a run say nothing about the speed).
 */
export class ThroughputWindow {
  private times: number[] = [];
  private images: number[] = [];

  constructor(
    private readonly minSteps = 20,
    private readonly span = 100,
  ) {}

  /** A new run starts at `now`: earlier steps (and the idle time since) do not count. */
  reset(now: number): void {
    this.times = [now];
    this.images = [0];
  }

  /** A step of `images` images ended at `now`. */
  record(now: number, images: number): void {
    if (this.times.length === 0) {
      this.reset(now);
      return;
    }
    this.times.push(now);
    this.images.push(images);
    if (this.times.length > this.span + 1) {
      this.times.shift();
      this.images.shift();
    }
  }

  /** Steps timed in the current window. */
  get steps(): number {
    return Math.max(0, this.times.length - 1);
  }

  /** Images per second over the window, or null before `minSteps` steps. */
  get rate(): number | null {
    if (this.steps < this.minSteps) return null;
    const elapsed = this.times.at(-1)! - this.times[0]!;
    if (elapsed <= 0) return null;
    let total = 0;
    for (let i = 1; i < this.images.length; i++) total += this.images[i]!;
    return (total * 1000) / elapsed;
  }
}

export interface AccuracyPoint {
  step: number;
  accuracy: number;
  /** Test images it was measured on. */
  count: number;
}

/** The latest and the best test accuracy of a run's evaluations (null before the first). */
export function accuracySummary(
  evaluations: readonly AccuracyPoint[],
): { final: AccuracyPoint; best: AccuracyPoint } | null {
  let final: AccuracyPoint | null = null;
  let best: AccuracyPoint | null = null;
  for (const e of evaluations) {
    if (!Number.isFinite(e.accuracy)) continue;
    // Later evaluations of the same step (the full test set after a quick one) replace it.
    if (!final || e.step >= final.step) final = e;
    if (!best || e.accuracy > best.accuracy) best = e;
  }
  return final && best ? { final, best } : null;
}

/**
 * The accuracy axis: zoomed to the values of the later part of the run, so that 97% and 98%
 * are apart, instead of 0–1 where everything after the first epoch is a flat line at the top.
 * The first `skip` of the points (the climb from chance) is left out of the range unless it is
 * all there is; the bounds are rounded out to `step` and kept in [0, 1].
 */
export function accuracyRange(
  values: readonly (number | null | undefined)[],
  { skip = 0.2, step = 0.05 }: { skip?: number; step?: number } = {},
): [number, number] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  const later = finite.length >= 10 ? finite.slice(Math.floor(finite.length * skip)) : finite;
  let lo = Math.min(...later);
  let hi = Math.max(...later);
  const pad = Math.max((hi - lo) * 0.1, step / 5);
  lo = Math.max(0, Math.floor((lo - pad) / step) * step);
  hi = Math.min(1, Math.ceil((hi + pad) / step) * step);
  if (hi - lo < step) lo = Math.max(0, hi - step);
  return [Number(lo.toFixed(4)), Number(hi.toFixed(4))];
}
