import { readFile } from 'node:fs/promises';
import {
  type DecodedImage,
  ImageInputError,
  MNIST_SIDE,
  mnistPixelsFromImage,
} from '@scratchnet/datasets';
import { type Tensor, tensor } from '@scratchnet/tensor';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export {
  type DecodedImage,
  ImageInputError,
  MNIST_DIGIT_BOX,
  MNIST_SIDE,
} from '@scratchnet/datasets';

/** One MNIST-style sample: 28×28 intensities in [0, 1], the digit bright on black. */
export interface MnistInput {
  /** 784 values, row-major, as the book's `load_mnist(normalize=True)` gives them. */
  pixels: Float32Array;
  /** The same values shaped [1, 1, 28, 28] for the convolutional networks. */
  tensor: Tensor;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decodes a PNG or JPEG into RGBA. The format is told by the file's magic bytes, not its name,
 * so a mislabelled `.jpg` that is really a PNG still works.
 */
export function decodeImage(bytes: Uint8Array, source: string): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    try {
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
    } catch (error) {
      throw new ImageInputError(
        `${source} is a damaged or unsupported PNG image: ${describe(error)}`,
      );
    }
  }
  if (startsWith(bytes, JPEG_SIGNATURE)) {
    try {
      // tolerantDecoding off: a truncated JPEG should be refused, not half-decoded into grey.
      const image = jpeg.decode(buffer, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
      });
      return { width: image.width, height: image.height, rgba: image.data };
    } catch (error) {
      throw new ImageInputError(
        `${source} is a damaged or unsupported JPEG image: ${describe(error)}`,
      );
    }
  }
  throw new ImageInputError(`${source} is not a PNG or JPEG image`);
}

/**
 * Turns a photo or drawing of one digit into what an MNIST-trained network expects (see
 * `mnistPixelsFromImage` in @scratchnet/datasets, which the playground uses too).
 *
 * @param source names the image in errors, e.g. its path.
 */
export function toMnistInput(image: DecodedImage, source = 'the image'): MnistInput {
  const pixels = mnistPixelsFromImage(image, source);
  return { pixels, tensor: tensor(pixels, [1, 1, MNIST_SIDE, MNIST_SIDE]) };
}

/** Reads a PNG or JPEG file of one digit and prepares it as MNIST input (see `toMnistInput`). */
export async function readMnistInput(path: string): Promise<MnistInput> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path}: no such image file`);
    if (code === 'EISDIR') throw new Error(`${path}: a directory, not an image file`);
    throw new Error(`${path}: cannot read the image (${(error as Error).message})`);
  }
  return toMnistInput(decodeImage(bytes, path), path);
}
