import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  /** Draw points only (sparse series such as per-epoch accuracy). */
  points?: boolean;
}

/**
 * A uPlot line chart. `data` is [x, ...ys] with nulls where a series has no value; the chart is
 * created once and `setData` is called on updates (`version` tells when), which is cheap enough
 * for thousands of points several times a second.
 */
export function LineChart({
  title,
  series,
  data,
  version,
  yRange,
  testId,
}: {
  title: string;
  series: ChartSeries[];
  data: () => uPlot.AlignedData;
  version: number;
  yRange?: [number, number];
  testId: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is built once per series set
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(
      {
        title,
        width: Math.min(560, element.clientWidth || 560),
        height: 240,
        scales: { x: { time: false }, ...(yRange ? { y: { range: yRange } } : {}) },
        axes: [{ label: 'step' }, {}],
        series: [
          { label: 'step' },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: s.points ? 0 : 1.5,
            spanGaps: true,
            points: { show: s.points ?? false, size: 6, fill: s.color },
          })),
        ],
      },
      dataRef.current(),
      element,
    );
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
  }, [series.map((s) => s.label).join()]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says when the data changed
  useEffect(() => {
    const d = dataRef.current();
    plot.current?.setData(d);
    if (container.current) container.current.dataset.points = String(d[0].length);
  }, [version]);

  return <div ref={container} className="chart" data-testid={testId} data-points="0" />;
}
