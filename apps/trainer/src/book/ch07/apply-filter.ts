/**
 * `ch07/apply_filter.py` (section 7.6.1, figure 7-25): the first 16 trained filters of
 * SimpleConvNet's first layer (`filter_show(network.params['W1'], 16)`), then each applied to a
 * grey image (a convolution layer with that one filter and no bias), the 16 responses drawn with
 * `cmap=gray_r`: each filter answers to edges or blobs of its own direction.
 *
 * Two things differ from the book, by necessity:
 * - The image. The book reads `dataset/lena_gray.png`, a photograph this project does not ship.
 *   Here it is a test pattern drawn in code (`testPattern`, public domain): a bright disk, a grey
 *   square, a triangle and diagonal stripes on a dark ground, 128×128, so that edges of every
 *   direction are in it.
 * - The filters, when no trained network is at hand. They come from `--weights FILE`, else
 *   `params.pkl` in the working directory (the book's ch07/params.pkl), else the model file of
 *   `ch07/train-convnet` (runs/book/ch07-train-convnet/params.safetensors). With none of these,
 *   the script says so and uses 16 handmade 5×5 filters of the kinds the trained layer learns
 *   (`handmadeFilters`: edges in 8 directions, lines in 4, a spot, a hole, a blur, a saddle).
 */
import { conv2d, tensor } from '@scratchnet/tensor';
import { renderFilterGrid, renderImageGrid } from '../../pictures.js';
import type { BookContext } from '../context.js';
import { findTrainedWeights, loadNetworkFile } from '../networks.js';
import { firstLayerFilters, TRAINED_CONVNET } from './visualize-filter.js';

const SHOWN = 16;

/**
 * A 128×128 grey test pattern, 0 black … 1 white, each pixel the mean of 4×4 samples (smooth
 * edges): a disk, a square, a triangle and stripes at 45° on a dark ground.
 */
export function testPattern(size = 128): Float32Array {
  const s = size / 128;
  const at = (x: number, y: number): number => {
    const [u, v] = [x / s, y / s]; // in the 128×128 design
    if ((u - 38) ** 2 + (v - 38) ** 2 < 26 ** 2) return 0.95; // disk
    if (u > 74 && u < 116 && v > 14 && v < 56) return 0.55; // square
    // triangle (14, 116) – (60, 116) – (37, 70)
    if (v < 116 && v > 70 && Math.abs(u - 37) < ((v - 70) / 46) * 23) return 0.75;
    if (u > 72 && u < 118 && v > 70 && v < 116) return Math.floor((u + v) / 6) % 2 ? 0.9 : 0.2;
    return 0.1;
  };
  const image = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) sum += at(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
      }
      image[y * size + x] = sum / 16;
    }
  }
  return image;
}

/**
 * 16 filters of 5×5, [16, 1, 5, 5], of the kinds a trained first layer has (figure 7-24): step
 * edges in 8 directions, lines in 4, a bright spot, a dark spot, a blur and a saddle.
 */
export function handmadeFilters(): Float32Array {
  const kernels: ((x: number, y: number) => number)[] = [];
  for (let k = 0; k < 8; k++) {
    const [c, s] = [Math.cos((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4)];
    kernels.push((x, y) => Math.tanh(x * c + y * s));
  }
  for (let k = 0; k < 4; k++) {
    const [c, s] = [Math.cos((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4)];
    kernels.push((x, y) => Math.exp(-((y * c - x * s) ** 2)));
  }
  kernels.push((x, y) => Math.exp(-(x * x + y * y) / 2));
  kernels.push((x, y) => -Math.exp(-(x * x + y * y) / 2));
  kernels.push((x, y) => Math.exp(-(x * x + y * y) / 4));
  kernels.push((x, y) => x * y);
  const weights = new Float32Array(SHOWN * 25);
  kernels.forEach((kernel, f) => {
    const values = Array.from({ length: 25 }, (_, i) => kernel((i % 5) - 2, Math.floor(i / 5) - 2));
    // Zero mean (a filter that sees edges, not brightness), except the blur; largest |w| 0.1.
    const mean = f === 14 ? 0 : values.reduce((a, b) => a + b, 0) / 25;
    const centred = values.map((v) => v - mean);
    const peak = Math.max(...centred.map(Math.abs));
    weights.set(
      centred.map((v) => (0.1 * v) / peak),
      f * 25,
    );
  });
  return weights;
}

/** Values scaled to 0…1 (imshow's default normalisation), for a gray_r picture: 1 is black. */
function normalise(values: Float32Array): Float32Array {
  let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
  return values.map((v) => (high > low ? (v - low) / (high - low) : 0.5));
}

export function run(ctx: BookContext): void {
  const path = findTrainedWeights(ctx, {
    fileName: 'params.pkl',
    bookPath: 'ch07/params.pkl',
    candidates: ['params.pkl', TRAINED_CONVNET],
  });
  let filters: Float32Array;
  let shape: [number, number, number, number];
  if (path) {
    // network.load_params("params.pkl"): W1, the trained filters
    const trained = firstLayerFilters(loadNetworkFile(path), path);
    const [filterNum, channels, fh, fw] = trained.shape;
    const shown = Math.min(SHOWN, filterNum);
    shape = [shown, channels, fh, fw];
    filters = trained.weights.slice(0, shown * channels * fh * fw);
    ctx.print(`filters: the first ${shown} of ${path} (${trained.shape.join('×')})`);
  } else {
    filters = handmadeFilters();
    shape = [SHOWN, 1, 5, 5];
    ctx.print(
      `filters: 16 handmade 5×5 edge, line and spot filters (no trained network: params.pkl, ` +
        `the book's ch07/params.pkl, and ${TRAINED_CONVNET}, what ch07/train-convnet saves, are ` +
        'not in the working directory; --weights FILE gives one)',
    );
  }
  const [count, , kh, kw] = shape;
  ctx.savePicture(
    'apply_filter_filters.png',
    renderFilterGrid(filters, shape, { columns: 4, scale: 10, colormap: 'gray_r' }),
  );

  // img = imread('../dataset/lena_gray.png'): here a test pattern made in code
  const size = 128;
  const image = testPattern(size);
  ctx.print(
    `image: a ${size}×${size} test pattern drawn in code (the book's lena_gray.png is not shipped)`,
  );
  ctx.savePicture(
    'apply_filter_image.png',
    renderImageGrid([{ pixels: image.map((v) => 1 - v), caption: 'the image' }], { scale: 2 }),
  );

  // One convolution per filter, bias 0, as Convolution(w, b=0).forward(img); a trained network
  // with several input channels shows channel 0, as the book's filter_show.
  if (kh !== kw) throw new Error(`filters of ${kh}×${kw}: only square filters are drawn`);
  const x = tensor(image, [1, 1, size, size]);
  const w = tensor(filters, shape).narrow(1, 0, 1);
  const out = conv2d(x, w).dataSync();
  const side = size - kh + 1;
  const responses = Array.from({ length: count }, (_, i) => ({
    pixels: normalise(out.subarray(i * side * side, (i + 1) * side * side)),
    caption: `filter ${i + 1}`,
  }));
  ctx.print(`responses: ${count} of ${side}×${side} (no padding, stride 1)`);
  ctx.savePicture('apply_filter.png', renderImageGrid(responses, { columns: 4, scale: 2 }));
}
