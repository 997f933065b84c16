import type { WindowGeometry } from '../backend.js';
import { run } from '../primitives.js';
import { formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** A size per spatial axis (height, width), or one size for both. */
export type Pair = number | readonly [number, number];

function pair(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/**
 * Checks a sliding window and works out the output size, floor((H + 2P − K) / S) + 1 (the book's
 * equation 7.1, and PyTorch's). Every invalid argument is named with the reason.
 */
export function windowGeometry(
  op: string,
  inputShape: readonly number[],
  kernel: Pair,
  stride: Pair,
  padding: Pair,
): WindowGeometry {
  if (inputShape.length !== 4) {
    throw new ShapeError(
      `${op}: input must be [batch, channels, height, width], got ${formatShape(inputShape)}`,
    );
  }
  const [n, c, h, w] = inputShape as [number, number, number, number];
  const [kh, kw] = pair(kernel);
  const [strideH, strideW] = pair(stride);
  const [padH, padW] = pair(padding);
  const check = (name: string, values: number[], min: number) => {
    if (values.some((v) => !Number.isInteger(v) || v < min)) {
      throw new ShapeError(
        `${op}: ${name} must be whole numbers ≥ ${min}, got ${values.join('×')}`,
      );
    }
  };
  check('kernel size', [kh, kw], 1);
  check('stride', [strideH, strideW], 1);
  check('padding', [padH, padW], 0);
  if (kh > h + 2 * padH || kw > w + 2 * padW) {
    throw new ShapeError(
      `${op}: kernel ${kh}×${kw} is larger than the padded input ${h + 2 * padH}×${w + 2 * padW} (input ${formatShape(inputShape)}, padding ${padH}×${padW})`,
    );
  }
  const outH = Math.floor((h + 2 * padH - kh) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - kw) / strideW) + 1;
  return { n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW };
}

/**
 * The book's im2col: every filter-sized patch of x [N, C, H, W] becomes a row of the result,
 * shape (N·OH·OW, C·filterH·filterW).
 * @example im2col(randn([1, 3, 7, 7]), 5, 5, 1, 0).shape // [9, 75]
 */
export function im2col(
  x: Tensor,
  filterH: number,
  filterW: number,
  stride: Pair = 1,
  pad: Pair = 0,
): Tensor {
  return run('im2col', [x], {
    geometry: windowGeometry('im2col', x.shape, [filterH, filterW], stride, pad),
  });
}

/** The book's col2im, the adjoint of im2col: columns back to an image of `inputShape`, overlaps summed. */
export function col2im(
  cols: Tensor,
  inputShape: readonly number[],
  filterH: number,
  filterW: number,
  stride: Pair = 1,
  pad: Pair = 0,
): Tensor {
  const geometry = windowGeometry('col2im', inputShape, [filterH, filterW], stride, pad);
  const rows = geometry.n * geometry.outH * geometry.outW;
  const width = geometry.c * geometry.kh * geometry.kw;
  if (cols.rank !== 2 || cols.shape[0] !== rows || cols.shape[1] !== width) {
    throw new ShapeError(
      `col2im: columns ${formatShape(cols.shape)} do not fit input ${formatShape(inputShape)}; expected [${rows}, ${width}]`,
    );
  }
  return run('col2im', [cols], { geometry });
}

/** Options of `conv2d` and of its gradients: where the filter goes. */
export interface Conv2dOptions {
  /** Step between filter positions, one number or [vertical, horizontal] (default 1). */
  stride?: Pair;
  /** Zeros added on each side, one number or [vertical, horizontal] (default 0). */
  padding?: Pair;
}

/** Options of `conv2d`: where the filter goes, and an activation fused onto the output. */
export interface Conv2dForwardOptions extends Conv2dOptions {
  /**
   * Apply ReLU to the output, bias included, in the same op (default false): exactly the values
   * and gradients of `conv2d(…).relu()`, without a separate pass over the output forward, nor a
   * separate ReLU node backward (the book's Conv → ReLU pair as one step).
   */
  relu?: boolean;
}

/**
 * 2-D convolution (cross-correlation, as in the book and PyTorch) of x [N, C, H, W] with
 * weight [outC, C, KH, KW] and an optional bias [outC]. The reference backend computes it as the
 * book does, im2col and one matrix product (`cpu/conv.ts`); faster backends may avoid the column
 * matrix. Its gradients are the primitives conv2dInputGrad and conv2dFilterGrad. With `relu:
 * true` it is Conv → ReLU in one op (see {@link Conv2dForwardOptions}).
 *
 * @example
 * // The book's figure 7-4: a 4×4 input and a 3×3 filter give [[15, 16], [6, 15]].
 * conv2d(x, w).reshape([2, 2]).toArray()
 * // Conv → ReLU fused: the values of conv2d(x, w, b, { padding: 1 }).relu()
 * conv2d(x, w, b, { padding: 1, relu: true })
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv2dForwardOptions = {},
): Tensor {
  if (weight.rank !== 4) {
    throw new ShapeError(
      `conv2d: weight must be [outChannels, inChannels, kh, kw], got ${formatShape(weight.shape)}`,
    );
  }
  const [outC, inC, kh, kw] = weight.shape as [number, number, number, number];
  if (x.rank !== 4 || x.shape[1] !== inC) {
    throw new ShapeError(
      `conv2d: input ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)}: expected [batch, ${inC}, height, width]`,
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outC)) {
    throw new ShapeError(
      `conv2d: bias ${formatShape(bias.shape)} does not fit ${outC} output channels`,
    );
  }
  const geometry = windowGeometry(
    'conv2d',
    x.shape,
    [kh, kw],
    options.stride ?? 1,
    options.padding ?? 0,
  );
  const params = options.relu ? { geometry, relu: true } : { geometry };
  return run('conv2d', bias ? [x, weight, bias] : [x, weight], params);
}

/**
 * conv2d's gradient for its input (PyTorch's `torch.nn.grad.conv2d_input`): the input-shaped
 * tensor that dy [N, outC, OH, OW] sends back through `weight`; a transposed convolution.
 */
export function conv2dInputGrad(
  dy: Tensor,
  weight: Tensor,
  inputShape: readonly number[],
  options: Conv2dOptions = {},
): Tensor {
  const [outC, inC, kh, kw] = weight.shape as [number, number, number, number];
  const geometry = windowGeometry(
    'conv2dInputGrad',
    inputShape,
    [kh, kw],
    options.stride ?? 1,
    options.padding ?? 0,
  );
  checkGradientShapes('conv2dInputGrad', geometry, inC, outC, dy);
  return run('conv2dInputGrad', [dy, weight], { geometry });
}

/**
 * conv2d's gradient for its weight (PyTorch's `torch.nn.grad.conv2d_weight`): x and dy give the
 * [outC, C, KH, KW] gradient, summed over the batch.
 */
export function conv2dFilterGrad(
  x: Tensor,
  dy: Tensor,
  kernelSize: Pair,
  options: Conv2dOptions = {},
): Tensor {
  const geometry = windowGeometry(
    'conv2dFilterGrad',
    x.shape,
    kernelSize,
    options.stride ?? 1,
    options.padding ?? 0,
  );
  checkGradientShapes('conv2dFilterGrad', geometry, geometry.c, dy.shape[1] ?? 0, dy);
  return run('conv2dFilterGrad', [x, dy], { geometry });
}

function checkGradientShapes(
  op: string,
  g: WindowGeometry,
  inC: number,
  outC: number,
  dy: Tensor,
): void {
  const expected = [g.n, outC, g.outH, g.outW];
  if (g.c !== inC || dy.rank !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `${op}: dy ${formatShape(dy.shape)} does not fit the convolution; expected ${formatShape(expected)} for ${inC} input channels`,
    );
  }
}

/** Options of `maxPool2d` and `avgPool2d`. */
export interface Pool2dOptions {
  /** Window size, one number or [height, width]. */
  kernelSize: Pair;
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: Pair;
  /** Padding on each side, one number or [vertical, horizontal] (default 0). */
  padding?: Pair;
}

function poolGeometry(
  op: string,
  x: Tensor,
  { kernelSize, stride, padding = 0 }: Pool2dOptions,
): WindowGeometry {
  const g = windowGeometry(op, x.shape, kernelSize, stride ?? kernelSize, padding);
  if (g.padH * 2 > g.kh || g.padW * 2 > g.kw) {
    throw new ShapeError(
      `${op}: padding ${g.padH}×${g.padW} must be at most half the kernel ${g.kh}×${g.kw}`,
    );
  }
  return g;
}

/** Max pooling over kernelSize windows (the book's Pooling layer); padding counts as −∞. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return run('maxPool2d', [x], { geometry: poolGeometry('maxPool2d', x, options) });
}

/** Average pooling; padded cells count as zeros in the average, as PyTorch's default. */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return run('avgPool2d', [x], { geometry: poolGeometry('avgPool2d', x, options) });
}
