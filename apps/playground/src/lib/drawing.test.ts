import { mnistPixelsFromImage } from '@scratchnet/datasets';
import { describe, expect, it } from 'vitest';
import {
  imageProblem,
  PEN_MAX,
  PEN_MIN,
  penWidthFor,
  strokeExtent,
  testImagePixels,
  testImageRgba,
} from './drawing.js';

describe('the pen follows the drawing’s size', () => {
  it('measures the longer side of all strokes', () => {
    expect(strokeExtent([])).toBe(0);
    expect(strokeExtent([[{ x: 5, y: 5 }]])).toBe(0);
    expect(
      strokeExtent([
        [
          { x: 10, y: 20 },
          { x: 40, y: 25 },
        ],
        [{ x: 30, y: 80 }],
      ]),
    ).toBe(60);
  });

  it('is thin for a small digit and as before for a large one', () => {
    expect(penWidthFor(0)).toBe(PEN_MIN);
    expect(penWidthFor(36)).toBe(5);
    expect(penWidthFor(100)).toBe(15);
    expect(penWidthFor(200)).toBe(PEN_MAX);
    expect(penWidthFor(280)).toBe(PEN_MAX);
  });

  it('gives MNIST-like strokes (2–4 px of 20) whatever size the digit is drawn at', () => {
    // A vertical bar of height h drawn with the pen penWidthFor(h), as the canvas would.
    for (const h of [24, 36, 60, 120, 200]) {
      const w = penWidthFor(h);
      const size = 280;
      const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
      for (let y = 20; y < 20 + h + w; y++) {
        for (let x = 100; x < 100 + w; x++) {
          rgba[4 * (y * size + x)] = 0;
          rgba[4 * (y * size + x) + 1] = 0;
          rgba[4 * (y * size + x) + 2] = 0;
        }
      }
      const pixels = mnistPixelsFromImage({ width: size, height: size, rgba });
      const row = Array.from(pixels.subarray(14 * 28, 15 * 28));
      const inked = row.filter((v) => v > 0.5).length;
      expect(inked, `height ${h}, pen ${w}`).toBeGreaterThanOrEqual(1);
      expect(inked, `height ${h}, pen ${w}`).toBeLessThanOrEqual(4);
    }
  });
});

describe('MNIST test images', () => {
  const images = new Uint8Array(2 * 784);
  images[784 + 10] = 255;
  images[784 + 11] = 51;

  it('reads image n as network input in [0, 1]', () => {
    const pixels = testImagePixels(images, 1);
    expect(pixels).toHaveLength(784);
    expect(pixels[10]).toBe(1);
    expect(pixels[11]).toBeCloseTo(0.2);
    expect(testImagePixels(images, 0).every((v) => v === 0)).toBe(true);
    expect(() => testImagePixels(images, 2)).toThrow('there is no test image 2');
    expect(() => testImagePixels(images, -1)).toThrow(RangeError);
  });

  it('shows it as ink on paper', () => {
    const rgba = testImageRgba(testImagePixels(images, 1));
    expect(Array.from(rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(rgba.subarray(40, 44))).toEqual([0, 0, 0, 255]);
  });
});

describe('image problems', () => {
  const blankImage = { width: 4, height: 4, rgba: new Uint8Array(64).fill(255) };
  const problemOf = (image: typeof blankImage) => {
    try {
      mnistPixelsFromImage(image, 'digit.png');
    } catch (error) {
      return imageProblem(error);
    }
    throw new Error('the image was accepted');
  };

  it('names what the preprocessing refused, so the page says it once, in its language', () => {
    expect(problemOf(blankImage)).toBe('imageBlank');
    expect(problemOf({ width: 0, height: 0, rgba: new Uint8Array(0) })).toBe('imageEmpty');
    expect(imageProblem(new DOMException('The source image could not be decoded.'))).toBe(
      'imageUnreadable',
    );
  });
});
