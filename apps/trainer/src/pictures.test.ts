import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { FILTER_GRID_BACKGROUND, renderFilterGrid, renderImageGrid } from './pictures.js';

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function pixelAt(image: PNG, x: number, y: number): number[] {
  const i = 4 * (y * image.width + x);
  return Array.from(image.data.subarray(i, i + 4));
}

/** 30 filters of 5×5: filter f holds 100·f + (5·row + column), so each ramps 0..24 above its own offset. */
function rampFilters(): Float32Array {
  return Float32Array.from({ length: 30 * 25 }, (_, i) => 100 * Math.floor(i / 25) + (i % 25));
}

describe('renderFilterGrid', () => {
  it('lays 30 filters out 8 to a row, each min-max normalised into enlarged blocks', () => {
    const image = decode(renderFilterGrid(rampFilters(), [30, 1, 5, 5]));
    // 8 columns × 40 px + 9 gaps of 4 px; 4 rows × 40 px + 5 gaps.
    expect([image.width, image.height]).toEqual([356, 180]);
    // Filter 9 sits in row 1, column 1, at (48, 48); its weight at row 2, column 3 is the 13th
    // of 0..24: grey 13/24 of the way to white, over the whole 8×8 block.
    const grey = Math.round((13 / 24) * 255);
    expect(pixelAt(image, 48 + 3 * 8, 48 + 2 * 8)).toEqual([grey, grey, grey, 255]);
    expect(pixelAt(image, 48 + 3 * 8 + 7, 48 + 2 * 8 + 7)).toEqual([grey, grey, grey, 255]);
    // Each filter's smallest weight is black and its largest white, whatever its offset.
    expect(pixelAt(image, 48, 48)).toEqual([0, 0, 0, 255]);
    expect(pixelAt(image, 48 + 39, 48 + 39)).toEqual([255, 255, 255, 255]);
    // Gaps, and the empty places after the 30th filter, show the background.
    const background = [...FILTER_GRID_BACKGROUND, 255];
    expect(pixelAt(image, 0, 0)).toEqual(background);
    expect(pixelAt(image, 45, 60)).toEqual(background);
    expect(pixelAt(image, 350, 170)).toEqual(background);
  });

  it('follows columns, scale and gap, and greys out a constant filter', () => {
    const weights = new Float32Array(4 * 2 * 3 * 3).fill(0.25);
    const image = decode(renderFilterGrid(weights, [4, 2, 3, 3], { columns: 2, scale: 2, gap: 1 }));
    expect([image.width, image.height]).toEqual([2 * 6 + 3, 2 * 6 + 3]);
    expect(pixelAt(image, 1, 1)).toEqual([128, 128, 128, 255]);
  });

  it("draws the largest weight black with the book's colormap 'gray_r'", () => {
    const image = decode(renderFilterGrid(rampFilters(), [30, 1, 5, 5], { colormap: 'gray_r' }));
    expect(pixelAt(image, 48, 48)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(image, 48 + 39, 48 + 39)).toEqual([0, 0, 0, 255]);
    const grey = Math.round((1 - 13 / 24) * 255);
    expect(pixelAt(image, 48 + 3 * 8, 48 + 2 * 8)).toEqual([grey, grey, grey, 255]);
  });

  it('gives the same bytes every time', () => {
    const first = renderFilterGrid(rampFilters(), [30, 1, 5, 5]);
    expect(
      Buffer.from(renderFilterGrid(rampFilters(), [30, 1, 5, 5])).equals(Buffer.from(first)),
    ).toBe(true);
  });

  it('refuses weights that do not fill the shape', () => {
    expect(() => renderFilterGrid(new Float32Array(10), [30, 1, 5, 5])).toThrow(
      'filter grid: 10 weights do not fill the shape [30, 1, 5, 5]',
    );
  });
});

describe('renderImageGrid', () => {
  /** A blank 28×28 digit with one lit pixel at (10, 10). */
  const dot = (): Float32Array => {
    const pixels = new Float32Array(784);
    pixels[10 * 28 + 10] = 1;
    return pixels;
  };
  const images = Array.from({ length: 12 }, (_, i) => ({
    pixels: dot(),
    caption: `true ${i % 10} / pred ${(i + 3) % 10}`,
    highlight: i === 0,
  }));

  it('sizes the picture from the layout and keeps digit pixels crisp', () => {
    const image = decode(renderImageGrid(images, { columns: 5, title: 'Misclassified' }));
    // Tiles of 112 + 2·6 = 124 px wide and 6 + 112 + 4 + 16 + 6 = 144 px high, 10 px apart,
    // a 12 px margin, a 32 px title: 5 columns by 3 rows.
    expect([image.width, image.height]).toEqual([
      24 + 5 * 124 + 4 * 10,
      24 + 32 + 3 * 144 + 2 * 10,
    ]);
    // The first digit's image starts at (18, 50); its lit pixel is a 4×4 black block at
    // (58, 90), with white right beside it (no smoothing between pixels).
    expect(pixelAt(image, 58, 90)).toEqual([0, 0, 0, 255]);
    expect(pixelAt(image, 61, 93)).toEqual([0, 0, 0, 255]);
    expect(pixelAt(image, 57, 91)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(image, 62, 91)).toEqual([255, 255, 255, 255]);
    // The highlighted first tile has a red frame; the second a grey one.
    const [red, green] = pixelAt(image, 12, 100);
    expect(red).toBeGreaterThan(180);
    expect(green).toBeLessThan(120);
    const [r2, g2] = pixelAt(image, 12 + 124 + 10 + 0, 100);
    expect(Math.abs(r2! - g2!)).toBeLessThan(10);
  });

  it('draws the captions as text', () => {
    const image = decode(renderImageGrid(images.slice(1, 2), {}));
    expect([image.width, image.height]).toEqual([24 + 124, 24 + 144]);
    let dark = 0;
    for (let y = 12 + 6 + 112 + 4; y < 12 + 144; y++) {
      for (let x = 12; x < 12 + 124; x++) if (pixelAt(image, x, y)[0]! < 100) dark++;
    }
    expect(dark).toBeGreaterThan(40);
  });

  it('widens tiles for long captions and the picture for a long title', () => {
    const one = [{ pixels: dot(), caption: 'true T-shirt/top, pred Ankle boot' }];
    // 33 characters at 13 px are some 200 px: wider than a 124 px tile.
    expect(decode(renderImageGrid(one)).width).toBeGreaterThan(24 + 124 + 60);
    const titled = renderImageGrid(images.slice(0, 1), { title: 'misclassified test images' });
    expect(decode(titled).width).toBeGreaterThan(24 + 124 + 50);
  });

  it('gives the same bytes every time', () => {
    const first = renderImageGrid(images, { title: 'Misclassified' });
    const again = renderImageGrid(images, { title: 'Misclassified' });
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it('refuses no images, and images of different sizes', () => {
    expect(() => renderImageGrid([])).toThrow('image grid: no images to draw');
    expect(() =>
      renderImageGrid([
        { pixels: new Float32Array(784), caption: 'a' },
        { pixels: new Float32Array(100), caption: 'b' },
      ]),
    ).toThrow('image 1 has 100 pixels');
  });
});
