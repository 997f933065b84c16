import { formatTick, type HistogramBars, nonEmptyBars } from './plot-scale.js';

const W = 120;
const H = 64;
/** Room left of the bins for the bar of exact zeros, and right for the values above the range. */
const SIDE = 12;

const percent = (n: number, total: number) => `${total > 0 ? Math.round((100 * n) / total) : 0}%`;

/**
 * One layer's activation histogram: the bins over [lo, hi] scaled to `scale` (shared by the
 * row), with the values exactly 0 and those above the range as separate, bars in another colour (cut at the
 * top when taller, their share written under the plot). Ticks at lo, the middle and hi.
 */
export function Histogram({
  bars,
  lo,
  hi,
  scale,
  label,
  zeroLabel,
  aboveLabel,
}: {
  bars: HistogramBars;
  lo: number;
  hi: number;
  scale: number;
  label: string;
  /** "= 0" and "> 1" in the page's language, with the share filled in. */
  zeroLabel: (share: string) => string;
  aboveLabel: (share: string) => string;
}) {
  const n = bars.bins.length;
  const left = bars.zeros > 0 ? SIDE : 0;
  const right = bars.above > 0 ? SIDE : 0;
  const inner = W - left - right;
  const height = (c: number) => Math.min(H, (c / scale) * H);
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * inner;
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <figure
      className="histogram"
      data-testid="histogram"
      data-nonempty={nonEmptyBars(bars)}
      data-zeros={bars.zeros}
      data-above={bars.above}
      data-max={Math.max(...bars.bins)}
    >
      <svg viewBox={`0 0 ${W} ${H + 6}`} role="img" aria-label={label}>
        {bars.zeros > 0 && (
          <rect
            className={bars.zeros > scale ? 'hist-special cut' : 'hist-special'}
            x={0}
            y={H - height(bars.zeros)}
            width={SIDE - 3}
            height={height(bars.zeros)}
          />
        )}
        {bars.zeros > scale && <rect className="hist-break" x={0} y={5} width={SIDE} height={2} />}
        {/* One path for the bins: a panel is a handful of elements, twenty panels draw at once. */}
        <path
          className="hist-bar"
          d={bars.bins
            .map((c, b) =>
              c > 0
                ? `M${(left + (b * inner) / n).toFixed(2)} ${H}v${(-height(c)).toFixed(2)}h${Math.max(0.5, inner / n - 0.6).toFixed(2)}V${H}Z`
                : '',
            )
            .join('')}
        />
        {bars.above > 0 && (
          <rect
            className={bars.above > scale ? 'hist-special cut' : 'hist-special'}
            x={W - SIDE + 3}
            y={H - height(bars.above)}
            width={SIDE - 3}
            height={height(bars.above)}
          />
        )}
        {bars.above > scale && (
          <rect className="hist-break" x={W - SIDE} y={5} width={SIDE} height={2} />
        )}
        <line className="hist-axis" x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} />
        {ticks.map((v) => (
          <line key={v} className="hist-axis" x1={x(v)} x2={x(v)} y1={H} y2={H + 5} />
        ))}
      </svg>
      <div className="hist-ticks" aria-hidden="true">
        {ticks.map((v) => (
          <span key={v} style={{ left: `${(x(v) / W) * 100}%` }}>
            {formatTick(v)}
          </span>
        ))}
      </div>
      {(bars.zeros > 0 || bars.above > 0) && (
        <figcaption className="hist-note">
          {bars.zeros > 0 && <span>{zeroLabel(percent(bars.zeros, bars.total))}</span>}
          {bars.above > 0 && <span>{aboveLabel(percent(bars.above, bars.total))}</span>}
        </figcaption>
      )}
    </figure>
  );
}
