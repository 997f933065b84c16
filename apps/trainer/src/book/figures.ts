import { FONT_FAMILY, svgToPng, textWidth } from '../charts.js';

/**
 * A small matplotlib-like x–y plot drawn straight as SVG, for the figures the line chart cannot
 * draw: a quiver plot of arrows (figure 4-9), points without lines (figure 4-10), histograms
 * (figure 6-10), fixed axis limits and subplot grids (`renderPlotGrid`, figures 6-8 and 6-19).
 */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xlim: readonly [number, number];
  ylim: readonly [number, number];
  /** Where ticks and their labels go; `[]` for none (`plt.xticks([])`). */
  xTicks: readonly number[];
  yTicks: readonly number[];
  /** `plt.grid()`: grey lines at the ticks. */
  grid?: boolean;
  width?: number;
  height?: number;
  /** `plt.legend(loc=…)`: a box naming the lines that have a `label`. */
  legend?: 'upper right' | 'lower right' | 'lower left';
  /** Room around the plotting area, in pixels (default 72 left, 24 right, 48 top, 60 bottom). */
  margin?: Partial<Margin>;
  /** The title's font size (default 16). */
  titleSize?: number;
}

interface Margin {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** matplotlib's marker symbols: circle, square, diamond, cross, plus. */
export type MarkerShape = 'o' | 's' | 'D' | 'x' | '+';

export interface PlotLine {
  points: readonly (readonly [number, number])[];
  color: string;
  dashed?: boolean;
  /** Named in the legend. */
  label?: string;
  /** `plt.plot(…, marker='o', markevery=n)`: a marker on every `markEvery`th point (default 1). */
  marker?: MarkerShape;
  markEvery?: number;
}

/** matplotlib's default colours, in order (tab:blue, tab:orange, …). */
export const PLOT_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

export interface PlotContents {
  /** `plt.plot(xs, ys, '--b')`: straight lines through the points, dashed or solid. */
  lines?: PlotLine[];
  /** `plt.plot(xs, ys, 'o')`: a marker at each point (a dot unless `shape` says). */
  markers?: {
    points: readonly (readonly [number, number])[];
    color: string;
    radius?: number;
    shape?: MarkerShape;
  }[];
  /** `plt.quiver(X, Y, U, V, angles="xy")`: an arrow from (x, y) to (x + u, y + v), data units. */
  arrows?: { arrows: readonly (readonly [number, number, number, number])[]; color: string };
  /** `plt.hist`: a bar [left, right] × [0, height] for each bin. */
  bars?: { bins: readonly (readonly [number, number, number])[]; color: string };
}

const MARGIN: Margin = { left: 72, right: 24, top: 48, bottom: 60 };

const tickLabel = (v: number) => String(Number(v.toFixed(6))).replace('-', '−');
const f = (v: number) => v.toFixed(2);

/** A marker of `shape` centred on (x, y), in pixels. */
function markerSvg(shape: MarkerShape, x: number, y: number, r: number, color: string): string {
  switch (shape) {
    case 'o':
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${r}" fill="${color}"/>`;
    case 's':
      return `<rect x="${f(x - r)}" y="${f(y - r)}" width="${2 * r}" height="${2 * r}" fill="${color}"/>`;
    case 'D':
      return `<polygon points="${f(x)},${f(y - r * 1.3)} ${f(x + r)},${f(y)} ${f(x)},${f(y + r * 1.3)} ${f(x - r)},${f(y)}" fill="${color}"/>`;
    case 'x':
    case '+': {
      const [a, b] = shape === 'x' ? [r, r] : [r * 1.4, 0];
      return `<path d="M${f(x - a)},${f(y - b)}L${f(x + a)},${f(y + b)}M${f(x - b)},${f(y + a)}L${f(x + b)},${f(y - a)}" stroke="${color}" stroke-width="1.8"/>`;
    }
  }
}

/** The plot as SVG elements in a box of `width` × `height` at the origin; `id` names its clip. */
function plotSvg(options: PlotOptions, contents: PlotContents, id: string): string {
  const { width = 640, height = 520, xlim, ylim } = options;
  const margin = { ...MARGIN, ...options.margin };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const sx = (x: number) => margin.left + ((x - xlim[0]) / (xlim[1] - xlim[0])) * plotWidth;
  const sy = (y: number) => margin.top + ((ylim[1] - y) / (ylim[1] - ylim[0])) * plotHeight;
  const parts: string[] = [];
  const bottom = margin.top + plotHeight;
  for (const x of options.xTicks) {
    if (options.grid) {
      parts.push(
        `<line x1="${f(sx(x))}" y1="${margin.top}" x2="${f(sx(x))}" y2="${bottom}" stroke="#d9d9d9"/>`,
      );
    }
    parts.push(
      `<line x1="${f(sx(x))}" y1="${bottom}" x2="${f(sx(x))}" y2="${bottom + 5}" stroke="#000"/>`,
      `<text x="${f(sx(x))}" y="${bottom + 20}" text-anchor="middle">${tickLabel(x)}</text>`,
    );
  }
  for (const y of options.yTicks) {
    if (options.grid) {
      parts.push(
        `<line x1="${margin.left}" y1="${f(sy(y))}" x2="${margin.left + plotWidth}" y2="${f(sy(y))}" stroke="#d9d9d9"/>`,
      );
    }
    parts.push(
      `<line x1="${margin.left - 5}" y1="${f(sy(y))}" x2="${margin.left}" y2="${f(sy(y))}" stroke="#000"/>`,
      `<text x="${margin.left - 9}" y="${f(sy(y) + 4)}" text-anchor="end">${tickLabel(y)}</text>`,
    );
  }
  const inside: string[] = [];
  if (contents.bars) {
    const { color } = contents.bars;
    for (const [left, right, count] of contents.bars.bins) {
      if (count <= 0) continue;
      const top = Math.max(sy(count), margin.top - 1);
      inside.push(
        `<rect x="${f(sx(left))}" y="${f(top)}" width="${f(sx(right) - sx(left))}" height="${f(sy(0) - top)}" fill="${color}" stroke="white" stroke-width="0.3"/>`,
      );
    }
  }
  for (const { points, color, dashed, marker, markEvery = 1 } of contents.lines ?? []) {
    const d = points.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ');
    const dash = dashed ? ' stroke-dasharray="7 4"' : '';
    inside.push(
      `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`,
    );
    if (marker) {
      points.forEach(([x, y], i) => {
        if (i % markEvery === 0) inside.push(markerSvg(marker, sx(x), sy(y), 4, color));
      });
    }
  }
  for (const { points, color, radius = 4, shape = 'o' } of contents.markers ?? []) {
    for (const [x, y] of points) inside.push(markerSvg(shape, sx(x), sy(y), radius, color));
  }
  if (contents.arrows) {
    const { color } = contents.arrows;
    for (const [x, y, u, v] of contents.arrows.arrows) {
      const [x0, y0, x1, y1] = [sx(x), sy(y), sx(x + u), sy(y + v)];
      const length = Math.hypot(x1 - x0, y1 - y0);
      if (length < 0.5) continue; // matplotlib draws a zero vector as nothing, too
      const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
      const head = Math.min(7, length * 0.45);
      const [bx, by] = [x1 - ux * head, y1 - uy * head];
      const half = head * 0.45;
      inside.push(
        `<line x1="${f(x0)}" y1="${f(y0)}" x2="${f(bx)}" y2="${f(by)}" stroke="${color}" stroke-width="1.6"/>`,
        `<polygon points="${f(x1)},${f(y1)} ${f(bx - uy * half)},${f(by + ux * half)} ${f(bx + uy * half)},${f(by - ux * half)}" fill="${color}"/>`,
      );
    }
  }
  const legend = options.legend ? legendSvg(contents.lines ?? []) : null;
  const legendBox = legend
    ? (() => {
        const boxWidth = legend.width;
        const boxHeight = legend.height;
        const x =
          options.legend === 'lower left'
            ? margin.left + 8
            : margin.left + plotWidth - boxWidth - 8;
        const y = options.legend === 'upper right' ? margin.top + 8 : bottom - boxHeight - 8;
        return `<g transform="translate(${f(x)} ${f(y)})">${legend.svg}</g>`;
      })()
    : '';
  const titleSize = options.titleSize ?? 16;
  return `<text x="${margin.left}" y="${Math.max(titleSize + 2, margin.top - 20)}" font-size="${titleSize}">${escapeXml(options.title)}</text>
<defs><clipPath id="${id}"><rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>
${parts.join('\n')}
<g clip-path="url(#${id})">
${inside.join('\n')}
</g>
<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#000"/>
${legendBox}
<text x="${margin.left + plotWidth / 2}" y="${Math.max(height - 16, bottom + 36)}" text-anchor="middle" font-size="13">${escapeXml(options.xLabel)}</text>
<text transform="translate(20 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(options.yLabel)}</text>`;
}

/** The legend's entries, a line sample (with its marker) and the label each, in a white box. */
function legendSvg(
  lines: readonly PlotLine[],
): { svg: string; width: number; height: number } | null {
  const labelled = lines.filter((line) => line.label);
  if (labelled.length === 0) return null;
  const row = 18;
  const width = 46 + Math.max(...labelled.map((l) => textWidth(l.label!, 12)));
  const height = labelled.length * row + 8;
  const entries = labelled.map((line, i) => {
    const y = 4 + row * i + row / 2;
    const dash = line.dashed ? ' stroke-dasharray="7 4"' : '';
    return [
      `<line x1="8" y1="${y}" x2="32" y2="${y}" stroke="${line.color}" stroke-width="1.5"${dash}/>`,
      line.marker ? markerSvg(line.marker, 20, y, 4, line.color) : '',
      `<text x="38" y="${y + 4}" font-size="12">${escapeXml(line.label!)}</text>`,
    ].join('');
  });
  return {
    svg: `<rect width="${f(width)}" height="${height}" fill="white" fill-opacity="0.85" stroke="#ccc"/>${entries.join('')}`,
    width,
    height,
  };
}

const svgDocument = (width: number, height: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="12">
<rect width="${width}" height="${height}" fill="white"/>
${body}
</svg>`;

/** Draws the plot as a PNG, via SVG and resvg as the other charts. */
export function renderPlot(options: PlotOptions, contents: PlotContents): Uint8Array {
  const { width = 640, height = 520 } = options;
  return svgToPng(svgDocument(width, height, plotSvg(options, contents, 'plot')));
}

export interface PlotGridOptions {
  /** Above the whole grid (matplotlib's `plt.suptitle`); none by default. */
  title?: string;
  /** Subplots per row: `plt.subplot(rows, columns, i)`. */
  columns: number;
  /** Each subplot's size in pixels; the options' own width and height are ignored. */
  cellWidth: number;
  cellHeight: number;
  /** The first column's width, when it has more room for tick labels (default `cellWidth`). */
  firstColumnWidth?: number;
}

/**
 * Subplots in a grid, row by row, as `plt.subplot(rows, columns, i + 1)` places them: each a
 * `renderPlot` plot of `cellWidth` × `cellHeight`, with its own title, ticks and labels.
 */
export function renderPlotGrid(
  grid: PlotGridOptions,
  plots: readonly { options: PlotOptions; contents: PlotContents }[],
): Uint8Array {
  const { columns, cellWidth, cellHeight, firstColumnWidth = cellWidth } = grid;
  const rows = Math.ceil(plots.length / columns);
  const top = grid.title ? 40 : 0;
  const width = firstColumnWidth + (columns - 1) * cellWidth;
  const height = top + rows * cellHeight;
  const cells = plots.map(({ options, contents }, i) => {
    const x = (i % columns) * cellWidth;
    const y = top + Math.floor(i / columns) * cellHeight;
    const cell = plotSvg(
      { ...options, width: cellWidth, height: cellHeight },
      contents,
      `plot${i}`,
    );
    return `<g transform="translate(${x} ${y})">${cell}</g>`;
  });
  const title = grid.title
    ? `<text x="${width / 2}" y="28" text-anchor="middle" font-size="17">${escapeXml(grid.title)}</text>\n`
    : '';
  return svgToPng(svgDocument(width, height, title + cells.join('\n')));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** NumPy's `np.arange(start, stop, step)`: start + i·step while below stop. */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  return Array.from({ length: n }, (_, i) => start + i * step);
}
