import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  type DecodedImage,
  decodeImage,
  ImageInputError,
  MNIST_SIDE,
  readMnistInput,
  toMnistInput,
} from './image-input.js';

type Rgba = [number, number, number, number];

/** A canvas filled with `background`, with the axis-aligned rectangles painted in `ink`. */
function canvas(
  width: number,
  height: number,
  background: Rgba,
  ink: Rgba,
  rects: { x: number; y: number; w: number; h: number }[],
): DecodedImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set(background, 4 * i);
  for (const { x, y, w, h } of rects) {
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) rgba.set(ink, 4 * (row * width + col));
    }
  }
  return { width, height, rgba };
}

function encodePng({ width, height, rgba }: DecodedImage): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

function centreOfMass(pixels: Float32Array): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  pixels.forEach((v, i) => {
    mass += v;
    x += v * (i % MNIST_SIDE);
    y += v * Math.floor(i / MNIST_SIDE);
  });
  return { x: x / mass, y: y / mass };
}

function inkBox(pixels: Float32Array): { width: number; height: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  pixels.forEach((v, i) => {
    if (v > 0) {
      xs.push(i % MNIST_SIDE);
      ys.push(Math.floor(i / MNIST_SIDE));
    }
  });
  return {
    width: Math.max(...xs) - Math.min(...xs) + 1,
    height: Math.max(...ys) - Math.min(...ys) + 1,
  };
}

const WHITE: Rgba = [255, 255, 255, 255];
const BLACK: Rgba = [0, 0, 0, 255];

/** A thick "1" with a flag at its top, drawn well off-centre (towards the top-left corner). */
const OFF_CENTRE_ONE = [
  { x: 30, y: 20, w: 14, h: 90 },
  { x: 18, y: 20, w: 14, h: 12 },
];

describe('decodeImage', () => {
  it('decodes a PNG by its magic bytes, whatever the name says', () => {
    const image = canvas(5, 4, WHITE, BLACK, [{ x: 1, y: 1, w: 2, h: 2 }]);
    const decoded = decodeImage(encodePng(image), 'digit.jpg');
    expect(decoded.width).toBe(5);
    expect(decoded.height).toBe(4);
    expect(decoded.rgba).toEqual(image.rgba);
  });

  it('decodes a JPEG', () => {
    const image = canvas(16, 16, WHITE, BLACK, [{ x: 4, y: 4, w: 8, h: 8 }]);
    const bytes = new Uint8Array(jpeg.encode({ ...image, data: image.rgba }, 95).data);
    const decoded = decodeImage(bytes, 'digit.jpg');
    expect([decoded.width, decoded.height]).toEqual([16, 16]);
    expect(decoded.rgba[4 * (8 * 16 + 8)]).toBeLessThan(30);
    expect(decoded.rgba[0]).toBeGreaterThan(225);
  });

  it('refuses bytes that are not an image, naming the file', () => {
    const noise = Uint8Array.from({ length: 256 }, (_, i) => (i * 97 + 13) % 256);
    expect(() => decodeImage(noise, 'notes.png')).toThrow(ImageInputError);
    expect(() => decodeImage(noise, 'notes.png')).toThrow('notes.png is not a PNG or JPEG image');
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow('empty.png');
  });

  it('refuses a truncated PNG and a truncated JPEG, naming the file', () => {
    const image = canvas(40, 40, WHITE, BLACK, [{ x: 10, y: 10, w: 20, h: 20 }]);
    const png = encodePng(image);
    const truncatedPng = () => decodeImage(png.subarray(0, png.length - 20), 'cut.png');
    expect(truncatedPng).toThrow(ImageInputError);
    expect(truncatedPng).toThrow(/cut\.png/);
    const jpg = new Uint8Array(jpeg.encode({ ...image, data: image.rgba }, 90).data);
    const truncatedJpeg = () => decodeImage(jpg.subarray(0, jpg.length / 2), 'cut.jpg');
    expect(truncatedJpeg).toThrow(ImageInputError);
    expect(truncatedJpeg).toThrow(/cut\.jpg/);
  });
});

describe('toMnistInput', () => {
  it('inverts dark ink on white, scales the box to 20 px and centres the mass at (14, 14)', () => {
    const image = decodeImage(encodePng(canvas(200, 200, WHITE, BLACK, OFF_CENTRE_ONE)), 'one');
    const { pixels, tensor } = toMnistInput(image);
    expect(pixels).toHaveLength(784);
    expect(tensor.shape).toEqual([1, 1, 28, 28]);
    const mass = centreOfMass(pixels);
    expect(Math.abs(mass.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(mass.y - 14)).toBeLessThanOrEqual(0.5);
    const box = inkBox(pixels);
    expect(box.height).toBe(20);
    // 26 × 90 source pixels → about 6 × 20.
    expect(box.width).toBeGreaterThanOrEqual(5);
    expect(box.width).toBeLessThanOrEqual(7);
    expect(Math.max(...pixels)).toBeCloseTo(1, 5);
    expect(Math.min(...pixels)).toBe(0);
    // The corners are background: black, as in MNIST.
    expect(pixels[0]).toBe(0);
    expect(pixels[783]).toBe(0);
  });

  it('smooths when shrinking rather than picking nearest pixels', () => {
    // A one-pixel-wide line in a 200-px-tall digit is far thinner than one output pixel: nearest
    // sampling would drop it or keep it at full strength; averaging leaves a faint trace.
    const rects = [
      { x: 50, y: 20, w: 1, h: 160 },
      { x: 90, y: 20, w: 30, h: 160 },
    ];
    const { pixels } = toMnistInput(canvas(200, 200, WHITE, BLACK, rects));
    const column = (x: number) => pixels[14 * MNIST_SIDE + x]!;
    const faint = Array.from({ length: MNIST_SIDE }, (_, x) => column(x)).filter(
      (v) => v > 0 && v < 0.5,
    );
    expect(faint.length).toBeGreaterThan(0);
  });

  it('leaves a white digit on black as it is', () => {
    const light = toMnistInput(canvas(100, 100, BLACK, WHITE, [{ x: 40, y: 20, w: 12, h: 60 }]));
    const dark = toMnistInput(canvas(100, 100, WHITE, BLACK, [{ x: 40, y: 20, w: 12, h: 60 }]));
    expect(Array.from(light.pixels)).toEqual(Array.from(dark.pixels));
    expect(Math.abs(centreOfMass(light.pixels).y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('composites a transparent background onto white', () => {
    const transparent: Rgba = [0, 0, 0, 0];
    const drawn = canvas(
      120,
      120,
      transparent,
      [20, 20, 20, 255],
      [{ x: 50, y: 20, w: 14, h: 80 }],
    );
    const { pixels } = toMnistInput(decodeImage(encodePng(drawn), 'transparent.png'));
    expect(pixels[0]).toBe(0);
    expect(Math.max(...pixels)).toBeCloseTo(1, 5);
    expect(inkBox(pixels).height).toBe(20);
  });

  it('stretches faint ink on grey paper to full intensity', () => {
    const { pixels } = toMnistInput(
      canvas(
        100,
        100,
        [200, 200, 200, 255],
        [140, 140, 140, 255],
        [{ x: 40, y: 20, w: 12, h: 60 }],
      ),
    );
    expect(pixels[0]).toBe(0);
    expect(Math.max(...pixels)).toBeCloseTo(1, 5);
  });

  it('refuses a blank image', () => {
    expect(() => toMnistInput(canvas(50, 50, WHITE, BLACK, []), 'blank.png')).toThrow(
      'blank.png: no digit found',
    );
    expect(() => toMnistInput(canvas(50, 50, BLACK, BLACK, []), 'dark.png')).toThrow(
      ImageInputError,
    );
  });
});

describe('the committed digit assets', () => {
  for (const digit of [1, 3, 7]) {
    it(`digit-${digit}.png preprocesses to a centred 20-pixel digit`, async () => {
      const path = fileURLToPath(new URL(`../test-assets/digit-${digit}.png`, import.meta.url));
      const { pixels } = await readMnistInput(path);
      const mass = centreOfMass(pixels);
      expect(Math.abs(mass.x - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(mass.y - 14)).toBeLessThanOrEqual(0.5);
      const box = inkBox(pixels);
      expect(Math.max(box.width, box.height)).toBe(20);
    });
  }
});
