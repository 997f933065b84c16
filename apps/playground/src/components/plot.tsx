import { type ReactNode, useId } from 'react';
import { formatTick, niceTicks } from './plot-scale.js';

export interface PlotSeries {
  label: string;
  /** A CSS colour, e.g. `var(--chart-1)`. */
  color: string;
  points: readonly (readonly [number, number])[];
  /** 'line' (default), 'points', or both. */
  mark?: 'line' | 'points' | 'both';
  dashed?: boolean;
}

export interface Scales {
  x(v: number): number;
  y(v: number): number;
}

const PAD = { left: 44, right: 10, top: 10, bottom: 30 };

/**
 * A small SVG plot with axes, ticks and a legend, drawn in the design's colours (light and dark)
 * and scaled to its container's width. `children` draws extra marks in data coordinates
 * (contours, reference lines) with the scales it is given.
 */
export function Plot({
  series,
  x: [x0, x1],
  y: [y0, y1],
  xLabel,
  yLabel,
  width = 360,
  height = 220,
  xTicks,
  yTicks,
  label,
  testId,
  legend = true,
  children,
  data,
}: {
  series: readonly PlotSeries[];
  x: readonly [number, number];
  y: readonly [number, number];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  xTicks?: number[];
  yTicks?: number[];
  /** The plot's accessible name. */
  label: string;
  testId?: string;
  legend?: boolean;
  children?: (scales: Scales) => ReactNode;
  /** data-* attributes for tests (e.g. the number of points drawn). */
  data?: Record<string, string | number>;
}) {
  const clipId = `clip${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const scales: Scales = {
    x: (v) => PAD.left + ((v - x0) / (x1 - x0 || 1)) * w,
    y: (v) => PAD.top + h - ((v - y0) / (y1 - y0 || 1)) * h,
  };
  const clampY = (v: number) => Math.max(PAD.top - 4, Math.min(PAD.top + h + 4, scales.y(v)));
  const xt = xTicks ?? niceTicks(x0, x1, Math.max(2, Math.round(w / 70)));
  const yt = yTicks ?? niceTicks(y0, y1, Math.max(2, Math.round(h / 40)));
  const dataAttrs = Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]),
  );
  return (
    <figure className="plot" data-testid={testId} {...dataAttrs}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <defs>
          <clipPath id={clipId}>
            <rect x={PAD.left} y={PAD.top} width={w} height={h} />
          </clipPath>
        </defs>
        <rect className="plot-area" x={PAD.left} y={PAD.top} width={w} height={h} />
        <path
          className="plot-grid"
          d={[
            ...xt.map((v) => `M${scales.x(v)} ${PAD.top}V${PAD.top + h}`),
            ...yt.map((v) => `M${PAD.left} ${scales.y(v)}H${PAD.left + w}`),
          ].join('')}
        />
        {xt.map((v) => (
          <text
            key={`x${v}`}
            className="plot-tick"
            x={scales.x(v)}
            y={PAD.top + h + 13}
            textAnchor="middle"
          >
            {formatTick(v)}
          </text>
        ))}
        {yt.map((v) => (
          <text
            key={`y${v}`}
            className="plot-tick"
            x={PAD.left - 4}
            y={scales.y(v) + 3.5}
            textAnchor="end"
          >
            {formatTick(v)}
          </text>
        ))}
        {xLabel && (
          <text className="plot-label" x={PAD.left + w / 2} y={height - 3} textAnchor="middle">
            {xLabel}
          </text>
        )}
        {yLabel && (
          <text
            className="plot-label"
            transform={`translate(11 ${PAD.top + h / 2}) rotate(-90)`}
            textAnchor="middle"
          >
            {yLabel}
          </text>
        )}
        <g clipPath={`url(#${clipId})`}>
          {children?.(scales)}
          {series.map((s) => {
            const mark = s.mark ?? 'line';
            const finite = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
            return (
              <g key={s.label} style={{ color: s.color }}>
                {mark !== 'points' && finite.length > 1 && (
                  <polyline
                    className="plot-line"
                    strokeDasharray={s.dashed ? '5 4' : undefined}
                    points={finite.map(([a, b]) => `${scales.x(a)},${clampY(b)}`).join(' ')}
                  />
                )}
                {mark !== 'line' &&
                  finite.map(([a, b], i) => (
                    <circle
                      // biome-ignore lint/suspicious/noArrayIndexKey: points of a path
                      key={i}
                      className="plot-point"
                      cx={scales.x(a)}
                      cy={clampY(b)}
                      r={2.5}
                    />
                  ))}
              </g>
            );
          })}
        </g>
      </svg>
      {legend && series.length > 1 && (
        <figcaption className="plot-legend">
          {series.map((s) => (
            <span key={s.label} className="plot-key">
              <span
                className={s.dashed ? 'plot-swatch dashed' : 'plot-swatch'}
                style={{ color: s.color }}
                aria-hidden="true"
              />
              {s.label}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
