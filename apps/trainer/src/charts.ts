import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as fontkit from 'fontkit';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * The fonts every picture is drawn with, named explicitly (not found through the system's font
 * configuration) so a chart comes out byte-for-byte the same on every machine with them.
 */
export const FONT_DIRECTORY = '/usr/share/fonts/truetype/dejavu';
export const FONT_FAMILY = 'DejaVu Sans';
const REGULAR_FONT_FILE = `${FONT_DIRECTORY}/DejaVuSans.ttf`;
const BOLD_FONT_FILE = `${FONT_DIRECTORY}/DejaVuSans-Bold.ttf`;
const FONT_FILES = [REGULAR_FONT_FILE, BOLD_FONT_FILE];

function requireFontFiles(): void {
  const missing = FONT_FILES.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    // Without its font resvg silently drops all text, leaving a chart without labels.
    throw new Error(
      `font file ${missing.join(', ')} not found: install the DejaVu fonts (Debian: fonts-dejavu-core)`,
    );
  }
}

/** Renders an SVG document to PNG bytes with the DejaVu fonts. */
export function svgToPng(svg: string): Uint8Array {
  requireFontFiles();
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return new Uint8Array(resvg.render().asPng());
}

interface VegaTextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** vega-scenegraph's text measuring, which Vega exports but does not type. */
interface VegaTextMetrics {
  width: (item: VegaTextItem, text: unknown) => number;
}

let dejaVu: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

/** The width in pixels of one line of text as resvg will draw it in DejaVu Sans. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  if (!dejaVu) {
    requireFontFiles();
    const load = (file: string): fontkit.Font => {
      const font = fontkit.openSync(file);
      if (!('layout' in font)) throw new Error(`${file} is a font collection, not one font`);
      return font;
    };
    dejaVu = { regular: load(REGULAR_FONT_FILE), bold: load(BOLD_FONT_FILE) };
  }
  const font = bold ? dejaVu.bold : dejaVu.regular;
  return (font.layout(text).advanceWidth * fontSize) / font.unitsPerEm;
}

let vegaMeasuresDejaVu = false;

/**
 * Makes Vega lay text out with the real widths of the DejaVu glyphs resvg will draw. Without a
 * canvas Vega guesses 0.8 em per character, far wider than DejaVu Sans, and leaves a broad empty
 * band beside the legend. Replacing `textMetrics.width` is Vega's hook for this (vl-convert does
 * the same).
 */
function measureVegaTextWithDejaVu(): void {
  if (vegaMeasuresDejaVu) return;
  const metrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const width = textWidth(String(text ?? '').trim(), item.fontSize ?? 11, bold);
    // Vega truncates text longer than `limit` to fit it; measure what will be drawn.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  vegaMeasuresDejaVu = true;
}

export interface ChartSeries {
  /** Shown in the legend, e.g. "train" or "lr=0.01". */
  name: string;
  /** [x, y] pairs; points whose y is not finite (a diverged loss) are left out. */
  points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Size of the whole picture in pixels, legend and labels included (default 720 × 440). */
  width?: number;
  height?: number;
  /** A logarithmic y axis, for losses spanning orders of magnitude; non-positive y are left out. */
  logY?: boolean;
  /** The y axis from low to high, as matplotlib's `plt.ylim(low, high)` (default: the data's). */
  yLimits?: readonly [number, number];
}

/** A series of up to this many points (among few series) has its points marked as well as joined. */
const MARKED_POINTS_LIMIT = 50;
/** Past this many series the legend moves under the chart, in columns, to fit them all. */
const SIDE_LEGEND_LIMIT = 12;
const LEGEND_ROW_HEIGHT = 21;
const LEGEND_FONT_SIZE = 12;
/** Room a legend entry takes besides its label: the symbol, its gap and the column gap. */
const LEGEND_ENTRY_EXTRA = 40;

/**
 * A scale domain around a single value (one point, or a flat curve): left to itself Vega-Lite
 * makes a zero-width domain and labels its one tick "0.500000".
 */
function domainAround(values: number[], log: boolean): [number, number] | undefined {
  // A loop, not Math.min(...values): a per-step curve can outgrow the argument limit.
  const low = values.reduce((a, b) => Math.min(a, b));
  const high = values.reduce((a, b) => Math.max(a, b));
  if (low !== high) return undefined;
  if (log) return [low / 2, low * 2];
  const margin = Math.abs(low) / 2 || 1;
  return [low - margin, low + margin];
}

function checkedSeries(options: LineChartOptions): ChartSeries[] {
  const { title, series, logY = false } = options;
  if (series.length === 0) throw new Error(`chart "${title}": no series to draw`);
  const names = new Set<string>();
  for (const { name } of series) {
    if (names.has(name)) throw new Error(`chart "${title}": two series are named "${name}"`);
    names.add(name);
  }
  const drawable = series.map(({ name, points }) => ({
    name,
    points: points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0)),
  }));
  if (drawable.every(({ points }) => points.length === 0)) {
    const which = logY ? 'finite, positive' : 'finite';
    throw new Error(`chart "${title}": no series has a ${which} point to draw`);
  }
  return drawable;
}

function chartSpec(options: LineChartOptions, series: ChartSeries[]): TopLevelSpec {
  const { title, xLabel, yLabel, width = 720, logY = false } = options;
  const names = series.map(({ name }) => name);
  const legendBelow = names.length > SIDE_LEGEND_LIMIT;
  const values = series.flatMap(({ name, points }) => {
    const marked = points.length <= MARKED_POINTS_LIMIT && !legendBelow;
    return points.map(([x, y]) => ({ series: name, x, y, marked }));
  });
  const integerX = values.every(({ x }) => Number.isInteger(x));
  const xDomain = domainAround(
    values.map(({ x }) => x),
    false,
  );
  const yDomain =
    (options.yLimits && [...options.yLimits]) ??
    domainAround(
      values.map(({ y }) => y),
      logY,
    );
  // As many legend columns below the chart as the longest name allows.
  const entryWidth =
    Math.max(...names.map((name) => textWidth(name, LEGEND_FONT_SIZE))) + LEGEND_ENTRY_EXTRA;
  const legendColumns = Math.min(4, Math.max(1, Math.floor((width - 40) / entryWidth)));
  const legendRows = Math.ceil(names.length / legendColumns);
  // A legend below takes room from the plot, so unless told a height the picture grows instead.
  const height = options.height ?? 440 + (legendBelow ? legendRows * LEGEND_ROW_HEIGHT : 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 16, anchor: 'start' },
    width,
    height,
    // The given size is the whole picture's, not just the plotting area's.
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    data: { values },
    layer: [
      { mark: { type: 'line', strokeWidth: 2, clip: true } },
      // Dots on the short curves (a few epochs, or a single point) keep them visible beside a
      // long per-step curve.
      ...(values.some(({ marked }) => marked)
        ? [
            {
              transform: [{ filter: 'datum.marked' }],
              mark: { type: 'point' as const, filled: true, size: 30, opacity: 1, clip: true },
            },
          ]
        : []),
    ],
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: xLabel,
        scale: xDomain ? { domain: xDomain } : { zero: false, nice: true },
        // Epochs and iterations are counts: no tick at 2.5 epochs.
        axis: integerX ? { tickMinStep: 1, format: 'd' } : {},
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: yLabel,
        scale: {
          ...(logY ? { type: 'log' } : { zero: false, nice: true }),
          ...(yDomain ? { domain: yDomain } : {}),
        },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        // The legend keeps the caller's order (train before test) instead of sorting by name.
        scale: { domain: names, scheme: names.length > 10 ? 'tableau20' : 'tableau10' },
        // labelLimit 0: long hyperparameter names are shown whole, not cut short with "…".
        legend: legendBelow
          ? {
              orient: 'bottom',
              direction: 'horizontal',
              columns: legendColumns,
              labelLimit: 0,
            }
          : { orient: 'right', labelLimit: 0 },
      },
      order: { field: 'x', type: 'quantitative' },
    },
    config: {
      font: FONT_FAMILY,
      axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 8, gridColor: '#e6e6e6' },
      legend: { labelFontSize: LEGEND_FONT_SIZE, symbolStrokeWidth: 3, symbolSize: 80 },
      view: { stroke: '#bbbbbb' },
    },
  };
}

/**
 * Draws one or more curves (loss or accuracy per epoch, optimizers compared over iterations,
 * validation accuracy of many hyperparameter trials) as a PNG with title, labelled axes and a
 * legend. Vega-Lite lays the chart out headlessly; resvg turns its SVG into pixels.
 *
 * @example
 * const png = await renderLineChart({
 *   title: 'Loss', xLabel: 'epoch', yLabel: 'loss',
 *   series: [{ name: 'train', points: [[1, 0.9], [2, 0.4]] }],
 * });
 */
export async function renderLineChart(options: LineChartOptions): Promise<Uint8Array> {
  const spec = chartSpec(options, checkedSeries(options));
  measureVegaTextWithDejaVu();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return svgToPng(await view.toSVG());
  } finally {
    view.finalize();
  }
}
