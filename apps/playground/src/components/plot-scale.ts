/**
 * The arithmetic of the experiment plots, kept out of the components so it is tested: tick
 * positions, and how an activation histogram is scaled so ReLU's spike at 0 does not flatten
 * every other bar.
 */

/** Ticks at 1, 2 or 5 × 10ⁿ covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) {
    // Rounded to the step's decimals: 0.30000000000000004 → 0.3.
    ticks.push(Number(v.toFixed(Math.max(0, -Math.floor(Math.log10(step))))));
  }
  return ticks;
}

/** A tick's label: few digits, exponents for tiny and huge values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

/** One layer's histogram as drawn: the bins without the exact zeros, and the two set apart. */
export interface HistogramBars {
  /** Counts per bin, the exact zeros taken out of the bin that holds 0. */
  bins: number[];
  /** Values exactly 0 (ReLU's), drawn as a bar of their own. */
  zeros: number;
  /** Values outside the range, below and above it. */
  below: number;
  above: number;
  total: number;
}

export function histogramBars(
  counts: readonly number[],
  { zeros = 0, below = 0, above = 0, lo = 0, hi = 1 } = {},
): HistogramBars {
  const bins = [...counts];
  if (zeros > 0 && lo <= 0 && hi >= 0) {
    const zeroBin = Math.min(bins.length - 1, Math.floor((-lo / (hi - lo)) * bins.length));
    bins[zeroBin] = Math.max(0, bins[zeroBin]! - zeros);
  }
  const total = counts.reduce((a, b) => a + b, 0) + below + above;
  return { bins, zeros, below, above, total };
}

/**
 * The height the bars of a row of histograms are scaled to: the tallest bin of any of them, the
 * zeros set apart (a bar of exact zeros taller than that is drawn cut, with its share written).
 * Scaled so, ReLU's layers show their spread instead of one bar at 0.
 */
export function histogramScale(rows: readonly HistogramBars[]): number {
  return Math.max(1, ...rows.flatMap((r) => r.bins));
}

/** How many bars are drawn taller than nothing. */
export const nonEmptyBars = (bars: HistogramBars) => bars.bins.filter((c) => c > 0).length;
