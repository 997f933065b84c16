import { PNG } from 'pngjs';
import { FONT_FAMILY, svgToPng, textWidth } from './charts.js';

type Rgb = readonly [number, number, number];

/** RGBA bytes, row by row, as a PNG file. */
export function encodeRgba(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

function gridColumns(count: number, requested: number | undefined, fallback: number): number {
  const columns = requested ?? Math.min(fallback, count);
  if (!Number.isInteger(columns) || columns < 1) {
    throw new Error(`columns must be a positive whole number, not ${requested}`);
  }
  return columns;
}

export interface FilterGridOptions {
  /** Filters per row (default 8, as the book's `filter_show`). */
  columns?: number;
  /** Each weight becomes a scale × scale block of pixels (default 8). */
  scale?: number;
  /** Pixels between filters and around the grid (default half a block, at least 2). */
  gap?: number;
  /** Which input channel to show when filters have several (default 0, as the book). */
  inputChannel?: number;
  /**
   * 'gray' (default): the smallest weight black, the largest white; 'gray_r': the other way
   * round, as the book's scripts draw them (`cmap=plt.cm.gray_r`).
   */
  colormap?: 'gray' | 'gray_r';
}

/** The colour between filters: a blue-grey, so a filter's white or black edge stays visible. */
export const FILTER_GRID_BACKGROUND: Rgb = [128, 146, 168];

/**
 * The book's figure 7-24: the weights of a convolution layer, one square per output filter,
 * each min-max normalised on its own (smallest weight black, largest white) and enlarged to
 * crisp blocks of pixels.
 *
 * @param weights the layer's weights, row-major in the shape [outC, inC, kh, kw].
 */
export function renderFilterGrid(
  weights: Float32Array,
  shape: readonly [number, number, number, number],
  options: FilterGridOptions = {},
): Uint8Array {
  const [filters, channels, kernelHeight, kernelWidth] = shape;
  if (shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`filter grid: shape [${shape.join(', ')}] must be four positive sizes`);
  }
  if (weights.length !== filters * channels * kernelHeight * kernelWidth) {
    throw new Error(
      `filter grid: ${weights.length} weights do not fill the shape [${shape.join(', ')}]`,
    );
  }
  const { scale = 8, inputChannel = 0, colormap = 'gray' } = options;
  if (inputChannel < 0 || inputChannel >= channels) {
    throw new Error(`filter grid: input channel ${inputChannel} is not in 0..${channels - 1}`);
  }
  const columns = gridColumns(filters, options.columns, 8);
  const gap = options.gap ?? Math.max(2, Math.round(scale / 2));
  const rows = Math.ceil(filters / columns);
  const blockWidth = kernelWidth * scale;
  const blockHeight = kernelHeight * scale;
  const width = columns * blockWidth + (columns + 1) * gap;
  const height = rows * blockHeight + (rows + 1) * gap;

  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([...FILTER_GRID_BACKGROUND, 255], 4 * i);

  const kernelSize = kernelHeight * kernelWidth;
  for (let f = 0; f < filters; f++) {
    const start = (f * channels + inputChannel) * kernelSize;
    const kernel = weights.subarray(start, start + kernelSize);
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const w of kernel) {
      low = Math.min(low, w);
      high = Math.max(high, w);
    }
    const left = gap + (f % columns) * (blockWidth + gap);
    const top = gap + Math.floor(f / columns) * (blockHeight + gap);
    for (let ky = 0; ky < kernelHeight; ky++) {
      for (let kx = 0; kx < kernelWidth; kx++) {
        // A constant filter has no contrast to stretch: mid grey.
        const level = high > low ? (kernel[ky * kernelWidth + kx]! - low) / (high - low) : 0.5;
        const grey = Math.round((colormap === 'gray_r' ? 1 - level : level) * 255);
        for (let y = 0; y < scale; y++) {
          const rowStart = ((top + ky * scale + y) * width + left + kx * scale) * 4;
          for (let x = 0; x < scale; x++) rgba.set([grey, grey, grey, 255], rowStart + 4 * x);
        }
      }
    }
  }
  return encodeRgba(width, height, rgba);
}

export interface CaptionedImage {
  /** A square grey image, e.g. an MNIST digit's 784 values, 0 = background, 1 = ink. */
  pixels: Float32Array;
  /** Shown under the image, e.g. "true 7 / pred 2"; "\n" starts a new line. */
  caption: string;
  /** Frame the image in red, e.g. a misclassified one. */
  highlight?: boolean;
}

export interface ImageGridOptions {
  /** Images per row (default 10). */
  columns?: number;
  title?: string;
  /** Each image pixel becomes scale × scale picture pixels (default 4). */
  scale?: number;
}

/** Layout of `renderImageGrid`, in picture pixels. */
export const IMAGE_GRID_LAYOUT = {
  margin: 12,
  gap: 10,
  tilePadding: 6,
  titleHeight: 32,
  captionGap: 4,
  captionLineHeight: 16,
  captionFontSize: 13,
  titleFontSize: 16,
  highlightColour: '#d62728',
} as const;

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** A grey image as a PNG data URI, dark ink on white as digits are written on paper. */
function digitDataUri(pixels: Float32Array, side: number): string {
  const rgba = new Uint8Array(side * side * 4);
  pixels.forEach((value, i) => {
    const grey = Math.round((1 - Math.min(1, Math.max(0, value))) * 255);
    rgba.set([grey, grey, grey, 255], 4 * i);
  });
  return `data:image/png;base64,${Buffer.from(encodeRgba(side, side, rgba)).toString('base64')}`;
}

/**
 * A grid of small images with captions, such as chapter 8's misclassified digits ("true 7 /
 * pred 2" under each). Drawn as SVG (images embedded as PNG, scaled without smoothing so their
 * pixels stay crisp) and rendered with resvg.
 */
export function renderImageGrid(
  images: readonly CaptionedImage[],
  options: ImageGridOptions = {},
): Uint8Array {
  if (images.length === 0) throw new Error('image grid: no images to draw');
  const side = Math.round(Math.sqrt(images[0]!.pixels.length));
  images.forEach(({ pixels }, i) => {
    if (pixels.length !== side * side || side === 0) {
      throw new Error(
        `image grid: image ${i} has ${pixels.length} pixels; all must be the same square size (${side}×${side})`,
      );
    }
  });
  const L = IMAGE_GRID_LAYOUT;
  const { scale = 4, title } = options;
  const columns = gridColumns(images.length, options.columns, 10);
  const rows = Math.ceil(images.length / columns);
  const imageSize = side * scale;
  const captions = images.map(({ caption }) => caption.split('\n'));
  const captionLines = Math.max(...captions.map((lines) => lines.length));
  // Tiles widen for long captions ("true T-shirt/top" of Fashion-MNIST) so none overlap.
  const captionWidth = Math.max(
    ...captions.flat().map((line) => Math.ceil(textWidth(line, L.captionFontSize))),
  );
  const tileWidth = Math.max(imageSize, captionWidth) + 2 * L.tilePadding;
  const tileHeight =
    L.tilePadding + imageSize + L.captionGap + captionLines * L.captionLineHeight + L.tilePadding;
  const titleHeight = title ? L.titleHeight : 0;
  const titleWidth = title ? Math.ceil(textWidth(title, L.titleFontSize, true)) : 0;
  const width = 2 * L.margin + Math.max(columns * tileWidth + (columns - 1) * L.gap, titleWidth);
  const height = 2 * L.margin + titleHeight + rows * tileHeight + (rows - 1) * L.gap;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (title) {
    parts.push(
      `<text x="${L.margin}" y="${L.margin + L.titleFontSize}" font-size="${L.titleFontSize}" font-weight="bold">${escapeXml(title)}</text>`,
    );
  }
  images.forEach(({ pixels, highlight = false }, i) => {
    const left = L.margin + (i % columns) * (tileWidth + L.gap);
    const top = L.margin + titleHeight + Math.floor(i / columns) * (tileHeight + L.gap);
    const frame = highlight
      ? `fill="#fdecec" stroke="${L.highlightColour}" stroke-width="2"`
      : 'fill="#f4f4f4" stroke="#d0d0d0" stroke-width="1"';
    parts.push(
      `<rect x="${left + 0.5}" y="${top + 0.5}" width="${tileWidth - 1}" height="${tileHeight - 1}" rx="3" ${frame}/>`,
      `<image x="${left + Math.floor((tileWidth - imageSize) / 2)}" y="${top + L.tilePadding}" width="${imageSize}" height="${imageSize}" image-rendering="optimizeSpeed" href="${digitDataUri(pixels, side)}"/>`,
    );
    const captionColour = highlight ? L.highlightColour : '#222222';
    captions[i]!.forEach((line, k) => {
      const baseline =
        top + L.tilePadding + imageSize + L.captionGap + (k + 1) * L.captionLineHeight - 4;
      parts.push(
        `<text x="${left + tileWidth / 2}" y="${baseline}" font-size="${L.captionFontSize}" text-anchor="middle" fill="${captionColour}">${escapeXml(line)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return svgToPng(parts.join('\n'));
}
