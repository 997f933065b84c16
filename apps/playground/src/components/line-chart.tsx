import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** A design token of styles.css, e.g. `--chart-1`: read when the chart is drawn. */
  color: `--${string}`;
  /** Draw points only (sparse series such as per-epoch accuracy). */
  points?: boolean;
  /** A thin, faded line (a noisy series behind the others). */
  faint?: boolean;
}

const HEIGHT = 240;

/** The value of a CSS custom property of the page, e.g. `--chart-1` → `#2563eb`. */
function token(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Re-renders when the page switches between light and dark. */
function useColorScheme(): 'light' | 'dark' {
  const query =
    typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: dark)');
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const change = () => setDark(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, [query]);
  return dark ? 'dark' : 'light';
}

/**
 * A uPlot line chart with labelled axes, coloured with the design tokens (so dark mode works) and
 * as wide as its container (a ResizeObserver resizes it: nothing sticks out on a phone). `data`
 * is [x, ...ys] with nulls where a series has no value; the chart is created once per series set
 * and colour scheme, and `setData` is called on updates (`version` tells when), which is cheap
 * enough for thousands of points several times a second.
 */
export function LineChart({
  title,
  xLabel,
  yLabel,
  series,
  data,
  version,
  yRange,
  yFormat,
  testId,
}: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  data: () => uPlot.AlignedData;
  version: number;
  /** The y range for the data (default: uPlot's, from the data). */
  yRange?: () => [number, number];
  /** Tick labels of the y axis. */
  yFormat?: (value: number) => string;
  testId: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const rangeRef = useRef(yRange);
  rangeRef.current = yRange;
  const formatRef = useRef(yFormat);
  formatRef.current = yFormat;
  const scheme = useColorScheme();

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt per series set, title and scheme
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const text = token('--color-text', '#1c2028');
    const muted = token('--color-text-muted', '#5a6270');
    const grid = token('--chart-grid', '#e3e6eb');
    const font = `12px ${token('--font-sans', 'sans-serif')}`;
    const labelFont = `bold 12px ${token('--font-sans', 'sans-serif')}`;
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: muted,
      font,
      labelFont,
      labelSize: 18,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1, size: 4 },
    });
    const chart = new uPlot(
      {
        title,
        width: Math.max(200, element.clientWidth || 560),
        height: HEIGHT,
        scales: {
          x: { time: false },
          y: {
            range: (_u, min, max) =>
              rangeRef.current ? rangeRef.current() : uPlot.rangeNum(min, max, 0.1, true),
          },
        },
        axes: [
          axis(xLabel),
          {
            ...axis(yLabel),
            size: 48,
            values: (_u, splits) =>
              splits.map((v) => (formatRef.current ? formatRef.current(v) : String(v))),
          },
        ],
        series: [
          { label: xLabel },
          ...series.map((s) => {
            const color = token(s.color, text);
            return {
              label: s.label,
              stroke: color,
              width: s.points ? 0 : s.faint ? 1 : 1.75,
              alpha: s.faint ? 0.45 : 1,
              spanGaps: true,
              points: { show: s.points ?? false, size: 6, fill: color, stroke: color },
            };
          }),
        ],
      },
      dataRef.current(),
      element,
    );
    chart.root.style.color = text;
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, Math.floor(element.clientWidth));
      if (width !== chart.width) chart.setSize({ width, height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series.map((s) => `${s.label}${s.color}`).join(), title, xLabel, yLabel, scheme]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says when the data changed
  useEffect(() => {
    const d = dataRef.current();
    plot.current?.setData(d);
    if (container.current) container.current.dataset.points = String(d[0].length);
  }, [version, scheme]);

  return <div ref={container} className="chart" data-testid={testId} data-points="0" />;
}
