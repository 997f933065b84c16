/**
 * What the Draw view computes from the strokes and images it is given: the pen's width from the
 * drawing's size, MNIST test images as network input, and why an image could not be used.
 */
import { ImageInputError } from '@scratchnet/datasets';

export interface Point {
  x: number;
  y: number;
}

/** The pen never gets thinner or thicker than this, in canvas pixels (the canvas is 280×280). */
export const PEN_MIN = 3;
export const PEN_MAX = 20;
/**
 * MNIST's strokes are about an eighth of the digit's longer side once it is fitted into 20×20
 * (2–3 pixels): a pen of 0.15 × the strokes' extent gives that after the fit, whatever size the
 * digit was drawn at. A fixed pen drawn small fills the digit's holes (a tiny 3 reads as 8).
 */
export const PEN_RATIO = 0.15;

/** The longer side of the box around every point of every stroke (0 when nothing is drawn). */
export function strokeExtent(strokes: readonly (readonly Point[])[]): number {
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (const stroke of strokes) {
    for (const { x, y } of stroke) {
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < left ? 0 : Math.max(right - left, bottom - top);
}

/** The pen width for a drawing of this extent: in proportion, within PEN_MIN..PEN_MAX. */
export function penWidthFor(extent: number): number {
  return Math.min(PEN_MAX, Math.max(PEN_MIN, Math.round(extent * PEN_RATIO)));
}

export const MNIST_PIXELS = 28 * 28;

/** Test image `index` of the MNIST test set (IDX bytes, 0–255) as network input in [0, 1]. */
export function testImagePixels(images: Uint8Array, index: number): Float32Array {
  const start = index * MNIST_PIXELS;
  if (!Number.isInteger(index) || index < 0 || start + MNIST_PIXELS > images.length) {
    throw new RangeError(`there is no test image ${index}`);
  }
  const pixels = new Float32Array(MNIST_PIXELS);
  for (let i = 0; i < MNIST_PIXELS; i++) pixels[i] = images[start + i]! / 255;
  return pixels;
}

/** The test image as ink on paper, RGBA (dark digit on white), for the drawing canvas. */
export function testImageRgba(pixels: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  pixels.forEach((v, i) => {
    const level = Math.round((1 - v) * 255);
    rgba[4 * i] = level;
    rgba[4 * i + 1] = level;
    rgba[4 * i + 2] = level;
    rgba[4 * i + 3] = 255;
  });
  return rgba;
}

/** Why an opened image could not be used: a message key of the Draw view's catalogue. */
export type ImageProblem = 'imageBlank' | 'imageNoInk' | 'imageEmpty' | 'imageUnreadable';

/**
 * The problem `mnistPixelsFromImage` (or decoding) reported, so the page says it in its
 * language and names the file once.
 */
export function imageProblem(error: unknown): ImageProblem {
  if (error instanceof ImageInputError) {
    if (error.message.endsWith('(the image is blank)')) return 'imageBlank';
    if (error.message.endsWith('(no pixel stands out)')) return 'imageNoInk';
    if (error.message.endsWith('the image is empty')) return 'imageEmpty';
  }
  return 'imageUnreadable';
}
