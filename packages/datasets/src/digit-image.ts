/**
 * A drawn or photographed digit made into MNIST input, following how MNIST itself was made: grey
 * levels with transparent pixels on white, inverted when the border is light (so the digit is
 * bright on black), the background subtracted and the ink stretched to 1, the ink's bounding box
 * resized (anti-aliased bilinear, aspect kept) so its longer side is 20 pixels, then placed in
 * 28×28 with its centre of mass on pixel (14, 14). Pure functions on RGBA, so the trainer CLI (after
 * decoding a PNG/JPEG) and the playground (from a canvas) give the same 784 values.
 */

/** An image that cannot be used as network input: not an image, damaged, blank or empty. */
export class ImageInputError extends Error {
  /** The error name, also after minification. */
  override name = 'ImageInputError';
}

/** A decoded image: `rgba` holds 4 bytes per pixel, row by row (as `ImageData.data`). */
export interface DecodedImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Red, green, blue and alpha bytes of each pixel, row by row. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** The side of an MNIST image in pixels: 28×28 = 784 inputs. */
export const MNIST_SIDE = 28;
/** MNIST's digits were size-normalised to fit a 20×20 box, then centred in the 28×28 field. */
export const MNIST_DIGIT_BOX = 20;

/** Ink fainter than this (after contrast stretching) does not count towards the bounding box. */
const INK_THRESHOLD = 0.2;
/** Below this much contrast between background and the strongest ink, there is no digit. */
const MIN_CONTRAST = 0.1;

/**
 * Luminance in [0, 1] (ITU-R BT.601 weights, as PIL's "L" mode), with transparent pixels
 * composited onto white: a drawing on a transparent canvas reads as ink on paper.
 */
function toGray({ width, height, rgba }: DecodedImage): Float32Array {
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const alpha = rgba[4 * i + 3]! / 255;
    const luminance =
      (0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!) / 255;
    gray[i] = luminance * alpha + (1 - alpha);
  }
  return gray;
}

function borderMean(values: Float32Array, width: number, height: number): number {
  let total = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    total += values[x]! + values[(height - 1) * width + x]!;
    count += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    total += values[y * width]! + values[y * width + width - 1]!;
    count += 2;
  }
  return total / count;
}

/**
 * Ink intensity in [0, 1]: bright digit on black, as in MNIST. The border tells the background:
 * a light border means dark ink on paper, which is inverted. The background level is then
 * subtracted and the strongest ink stretched to 1, so grey paper or a faint pencil still gives
 * MNIST's black background and full-intensity strokes.
 */
function toInk(image: DecodedImage, source: string): Float32Array {
  const { width, height } = image;
  const gray = toGray(image);
  const lightBackground = borderMean(gray, width, height) > 0.5;
  const ink = lightBackground ? gray.map((v) => 1 - v) : gray;
  const background = borderMean(ink, width, height);
  let peak = 0;
  for (const v of ink) peak = Math.max(peak, v);
  if (peak - background < MIN_CONTRAST) {
    throw new ImageInputError(`${source}: no digit found (the image is blank)`);
  }
  return ink.map((v) => Math.max(0, v - background) / (peak - background));
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function inkBoundingBox(ink: Float32Array, width: number, height: number): Box | undefined {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= INK_THRESHOLD) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return undefined;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Weights of a 1-D triangle (bilinear) filter from `sourceSize` samples to `targetSize`. When
 * shrinking, the triangle is widened by the scale factor so every source pixel contributes
 * (an anti-aliased resize, as PIL's BILINEAR), rather than sampling a few and skipping the rest.
 */
function resampleWeights(
  sourceSize: number,
  targetSize: number,
): { first: number; weights: number[] }[] {
  const scale = sourceSize / targetSize;
  const support = Math.max(1, scale);
  return Array.from({ length: targetSize }, (_, target) => {
    const centre = (target + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(sourceSize - 1, Math.ceil(centre + support));
    const weights: number[] = [];
    for (let s = first; s <= last; s++) {
      weights.push(Math.max(0, 1 - Math.abs(s + 0.5 - centre) / support));
    }
    const total = weights.reduce((a, b) => a + b, 0);
    return { first, weights: weights.map((w) => w / total) };
  });
}

/** Separable resize of a single-channel image: rows first, then columns. */
function resize(
  source: Float32Array,
  width: number,
  height: number,
  targetWidth: number,
  targetHeight: number,
): Float32Array {
  const across = resampleWeights(width, targetWidth);
  const down = resampleWeights(height, targetHeight);
  const rowsResized = new Float32Array(targetWidth * height);
  for (let y = 0; y < height; y++) {
    across.forEach(({ first, weights }, x) => {
      let value = 0;
      weights.forEach((w, k) => {
        value += w * source[y * width + first + k]!;
      });
      rowsResized[y * targetWidth + x] = value;
    });
  }
  const out = new Float32Array(targetWidth * targetHeight);
  down.forEach(({ first, weights }, y) => {
    for (let x = 0; x < targetWidth; x++) {
      let value = 0;
      weights.forEach((w, k) => {
        value += w * rowsResized[(first + k) * targetWidth + x]!;
      });
      out[y * targetWidth + x] = value;
    }
  });
  return out;
}

/**
 * Turns a photo or drawing of one digit into what an MNIST-trained network expects, following
 * how MNIST itself was made: grey levels with the digit bright on black, the ink's bounding box
 * scaled (aspect kept) so its longer side is 20 pixels, then placed in a 28×28 field so that the
 * centre of mass of the intensities falls on pixel (14, 14), shifted by whole pixels.
 *
 * @param source names the image in errors, e.g. its path.
 */
export function mnistPixelsFromImage(image: DecodedImage, source = 'the image'): Float32Array {
  const { width, height } = image;
  if (width === 0 || height === 0) throw new ImageInputError(`${source}: the image is empty`);
  const ink = toInk(image, source);
  const box = inkBoundingBox(ink, width, height);
  if (!box) throw new ImageInputError(`${source}: no digit found (no pixel stands out)`);

  const cropped = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const start = (box.top + y) * width + box.left;
    cropped.set(ink.subarray(start, start + box.width), y * box.width);
  }
  const scale = MNIST_DIGIT_BOX / Math.max(box.width, box.height);
  const digitWidth = Math.max(1, Math.round(box.width * scale));
  const digitHeight = Math.max(1, Math.round(box.height * scale));
  const digit = resize(cropped, box.width, box.height, digitWidth, digitHeight);

  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let y = 0; y < digitHeight; y++) {
    for (let x = 0; x < digitWidth; x++) {
      const v = digit[y * digitWidth + x]!;
      mass += v;
      massX += v * x;
      massY += v * y;
    }
  }
  const centre = MNIST_SIDE / 2;
  const offsetX = Math.round(centre - massX / mass);
  const offsetY = Math.round(centre - massY / mass);

  const pixels = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < digitHeight; y++) {
    const fieldY = y + offsetY;
    if (fieldY < 0 || fieldY >= MNIST_SIDE) continue;
    for (let x = 0; x < digitWidth; x++) {
      const fieldX = x + offsetX;
      if (fieldX < 0 || fieldX >= MNIST_SIDE) continue;
      pixels[fieldY * MNIST_SIDE + fieldX] = Math.min(1, digit[y * digitWidth + x]!);
    }
  }
  return pixels;
}
