/**
 * `ch03/mnist_show.py` (section 3.6.1, figure 3-25): the first MNIST training image, its label
 * and its shape before and after `reshape(28, 28)`. The book shows it with PIL; here it is
 * written as a PNG (each pixel 8×8, white ink on black as PIL shows the raw bytes).
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { encodeRgba } from '../../pictures.js';
import type { BookContext } from '../context.js';

/** `img_show`: a grey 28×28 image of bytes, scaled up without smoothing. */
function imageToPng(pixels: ArrayLike<number>, side: number, scale: number): Uint8Array {
  const size = side * scale;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const grey = pixels[Math.floor(y / scale) * side + Math.floor(x / scale)]!;
      rgba.set([grey, grey, grey, 255], 4 * (y * size + x));
    }
  }
  return encodeRgba(size, size, rgba);
}

export function run(ctx: BookContext): void {
  // load_mnist(flatten=True, normalize=False): pixels as the bytes 0..255
  const { train } = loadMnist({ flatten: true, normalize: false });
  const img = train.images.narrow(0, 0, 1).reshape([784]); // x_train[0]
  const label = train.rawLabels[0]!; // t_train[0]
  ctx.print(label); // 5
  ctx.print(`(${img.shape.join(', ')},)`); // (784,)
  const square = img.reshape([28, 28]);
  ctx.print(`(${square.shape.join(', ')})`); // (28, 28)
  ctx.savePicture('mnist_show.png', imageToPng(square.dataSync(), 28, 8));
}
