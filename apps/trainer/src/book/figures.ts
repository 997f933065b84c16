import { FONT_FAMILY, svgToPng } from '../charts.js';

/**
 * A small matplotlib-like x–y plot drawn straight as SVG, for the figures the line chart cannot
 * draw: a quiver plot of arrows (figure 4-9) and points without lines (figure 4-10).
 */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xlim: readonly [number, number];
  ylim: readonly [number, number];
  xTicks: readonly number[];
  yTicks: readonly number[];
  /** `plt.grid()`: grey lines at the ticks. */
  grid?: boolean;
  width?: number;
  height?: number;
}

export interface PlotContents {
  /** `plt.plot(xs, ys, '--b')`: straight lines through the points, dashed or solid. */
  lines?: { points: readonly (readonly [number, number])[]; color: string; dashed?: boolean }[];
  /** `plt.plot(xs, ys, 'o')`: a dot at each point. */
  markers?: { points: readonly (readonly [number, number])[]; color: string; radius?: number }[];
  /** `plt.quiver(X, Y, U, V, angles="xy")`: an arrow from (x, y) to (x + u, y + v), data units. */
  arrows?: { arrows: readonly (readonly [number, number, number, number])[]; color: string };
}

const MARGIN = { left: 72, right: 24, top: 48, bottom: 60 };

const tickLabel = (v: number) => String(Number(v.toFixed(6))).replace('-', '−');

/** Draws the plot as a PNG, via SVG and resvg as the other charts. */
export function renderPlot(options: PlotOptions, contents: PlotContents): Uint8Array {
  const { width = 640, height = 520, xlim, ylim } = options;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xlim[0]) / (xlim[1] - xlim[0])) * plotWidth;
  const sy = (y: number) => MARGIN.top + ((ylim[1] - y) / (ylim[1] - ylim[0])) * plotHeight;
  const f = (v: number) => v.toFixed(2);
  const parts: string[] = [];
  const bottom = MARGIN.top + plotHeight;
  for (const x of options.xTicks) {
    if (options.grid) {
      parts.push(
        `<line x1="${f(sx(x))}" y1="${MARGIN.top}" x2="${f(sx(x))}" y2="${bottom}" stroke="#d9d9d9"/>`,
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
        `<line x1="${MARGIN.left}" y1="${f(sy(y))}" x2="${MARGIN.left + plotWidth}" y2="${f(sy(y))}" stroke="#d9d9d9"/>`,
      );
    }
    parts.push(
      `<line x1="${MARGIN.left - 5}" y1="${f(sy(y))}" x2="${MARGIN.left}" y2="${f(sy(y))}" stroke="#000"/>`,
      `<text x="${MARGIN.left - 9}" y="${f(sy(y) + 4)}" text-anchor="end">${tickLabel(y)}</text>`,
    );
  }
  const inside: string[] = [];
  for (const { points, color, dashed } of contents.lines ?? []) {
    const d = points.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ');
    const dash = dashed ? ' stroke-dasharray="7 4"' : '';
    inside.push(
      `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`,
    );
  }
  for (const { points, color, radius = 4 } of contents.markers ?? []) {
    for (const [x, y] of points) {
      inside.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="${radius}" fill="${color}"/>`);
    }
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
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="12">
<rect width="${width}" height="${height}" fill="white"/>
<text x="${MARGIN.left}" y="28" font-size="16">${escapeXml(options.title)}</text>
<defs><clipPath id="plot"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>
${parts.join('\n')}
<g clip-path="url(#plot)">
${inside.join('\n')}
</g>
<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#000"/>
<text x="${MARGIN.left + plotWidth / 2}" y="${height - 16}" text-anchor="middle" font-size="13">${escapeXml(options.xLabel)}</text>
<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(options.yLabel)}</text>
</svg>`;
  return svgToPng(svg);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** NumPy's `np.arange(start, stop, step)`: start + i·step while below stop. */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  return Array.from({ length: n }, (_, i) => start + i * step);
}
