/**
 * `ch08/half_float_network.py` (section 8.3.4): the book's script loads its trained DeepConvNet
 * (`network.load_params("deep_convnet_params.pkl")`), takes the MNIST test images
 * (`sampled = 10000`, all of them), prints "caluculate accuracy (float64) ... " and the accuracy,
 * then casts the images and every parameter to float16 (`x_test.astype(np.float16)`,
 * `param[...] = param.astype(np.float16)`) and prints "caluculate accuracy (float16) ... " and
 * the accuracy again: it does not drop, so 16 bits are enough for inference. Measured with the
 * book's own code, and printed the same here: deep_convnet_params_2016.pkl (first published in
 * 2016) gives 0.9935 and 0.9935; the 2022 re-save the book's repository has now
 * (deep_convnet_params.pkl) 0.9797 and 0.9798.
 *
 * What is computed differs from the book's in the arithmetic only. The book's first accuracy is
 * float64; here it is float32, the library's only arithmetic, and the first line says so. The
 * book's float16 cast rounds the values to float16 but computes in float64
 * (`param[...] = …` writes back into the float64 arrays, and NumPy promotes the float16 images
 * to float64 in the first layer); here the parameters are rounded the same way by saving the
 * network as an F16 model file and loading it back (`saveModel(network, { dtype: 'F16' })`),
 * the pixels by float16 round trips, and the arithmetic is float32.
 *
 * The parameters: `--weights FILE` (the book's deep_convnet_params.pkl, or a model file of
 * ch08/train-deepnet), else deep_convnet_params.pkl in the working directory.
 *
 * --quick: the first 100 test images.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import {
  float16BitsToFloat32Array,
  float32ArrayToFloat16Bits,
  loadModel,
  saveModel,
} from '@scratchnet/serialization';
import { tensor } from '@scratchnet/tensor';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import { loadDeepConvnet } from './deep-convnet-weights.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function run(ctx: BookContext): void {
  const { test } = loadMnist({ normalize: true, flatten: false });
  const { network, path } = loadDeepConvnet(ctx);
  ctx.print(`(parameters: ${path})`);

  const sampled = ctx.quick ? 100 : 10000; // 高速化のため (to make it faster)
  const { x: xTest, labels: tTest } = test.dataset.batch(range(sampled));

  ctx.print('caluculate accuracy (float32) ... '); // the book: (float64), its spelling
  ctx.print(pyFloat(network.accuracy(xTest, tTest)));

  // float16に型変換 (cast to float16): x_test.astype(np.float16), and each parameter
  const xHalf = tensor(float16BitsToFloat32Array(float32ArrayToFloat16Bits(xTest.dataSync())), [
    ...xTest.shape,
  ]);
  const f32 = saveModel(network);
  const f16 = saveModel(network, { dtype: 'F16' });
  const half = loadModel(f16, { source: `${path} as F16` });

  ctx.print('caluculate accuracy (float16) ... ');
  ctx.print(pyFloat(half.accuracy(xHalf, tTest)));
  ctx.print(
    `(float32 arithmetic both times, the second on parameters and pixels rounded to float16; ` +
      `the model file: ${f16.length.toLocaleString('en-US')} bytes in F16, ` +
      `${f32.length.toLocaleString('en-US')} in F32)`,
  );
}
