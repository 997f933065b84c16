/**
 * `ch07/visualize_filter.py` (section 7.6.1, figure 7-24): the 30 filters (5×5) of SimpleConvNet's
 * first layer, before training (random, std 0.01: noise) and after (`network.load_params
 * ("params.pkl")`: edges and blobs, the simple features the first layer learns). Drawn as the
 * book's `filter_show`: 8 a row, each filter scaled to its own range, `cmap=gray_r` (the largest
 * weight black).
 *
 * The trained parameters are `--weights FILE`, else `params.pkl` in the working directory (the
 * book's ch07/params.pkl), else the model file `ch07/train-convnet` saves
 * (runs/book/ch07-train-convnet/params.safetensors). Any network with a first convolution
 * (`conv1.weight`) will do: a model file of `scratchnet train`, the book's DeepConvNet pickle.
 *
 * Without any of them (a fresh clone) it still runs, as the commands in the READMEs are written:
 * it draws the random filters (figure 7-24's left half) and says how to get the trained ones
 * (`scratchnet book ch07/train-convnet` first, or `--weights FILE`). A `--weights FILE` that
 * does not exist is an error.
 */
import { type Network, SimpleConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { renderFilterGrid } from '../../pictures.js';
import type { BookContext } from '../context.js';
import { findTrainedWeights, loadNetworkFile } from '../networks.js';

/** Where `scratchnet book ch07/train-convnet` saves its network by default. */
export const TRAINED_CONVNET = 'runs/book/ch07-train-convnet/params.safetensors';

/** Printed instead of the trained filters when none are at hand: where it looked, what to do. */
export const NO_TRAINED_CONVNET =
  'no trained SimpleConvNet for filters_after.png: looked for params.pkl (the book’s ' +
  'ch07/params.pkl, from https://github.com/oreilly-japan/deep-learning-from-scratch) and ' +
  `${TRAINED_CONVNET} (what \`scratchnet book ch07/train-convnet\` saves) in the working ` +
  'directory; run ch07/train-convnet first, or pass either file with --weights FILE';

/**
 * The trained network of `--weights`, params.pkl or ch07/train-convnet's model file; null when
 * none of them is there (a `--weights FILE` that does not exist throws).
 */
export function findTrainedConvnet(ctx: BookContext): { network: Network; path: string } | null {
  const path = findTrainedWeights(ctx, {
    fileName: 'params.pkl',
    bookPath: 'ch07/params.pkl',
    candidates: ['params.pkl', TRAINED_CONVNET],
  });
  return path === null ? null : { network: loadNetworkFile(path), path };
}

/** conv1.weight, the filters of the first layer, as the renderer takes them. */
export function firstLayerFilters(network: Network, source: string) {
  const weight = network.stateDict()['conv1.weight'];
  if (weight?.rank !== 4) {
    throw new Error(`${source}: the network has no first convolution (conv1.weight) to show`);
  }
  return {
    weights: weight.dataSync(),
    shape: weight.shape as unknown as [number, number, number, number],
  };
}

/** The book's `filter_show(filters, nx=8)`: a grid of filters, `gray_r`. */
function filterShow(filters: ReturnType<typeof firstLayerFilters>, columns = 8): Uint8Array {
  return renderFilterGrid(filters.weights, filters.shape, {
    columns,
    scale: 10,
    colormap: 'gray_r',
  });
}

export function run(ctx: BookContext): void {
  // Before drawing: a --weights file that is missing is reported before any figure is written.
  const trained = findTrainedConvnet(ctx);

  manualSeed(0);
  const network = new SimpleConvNet();
  // ランダム初期化後の重み (the weights after random initialisation)
  const before = firstLayerFilters(network, 'SimpleConvNet');
  ctx.print(`before training: random filters ${before.shape.join('×')} (std 0.01)`);
  ctx.savePicture('filters_before.png', filterShow(before));

  if (trained === null) {
    // A fresh clone: figure 7-24's left half only, and how to get its right half.
    ctx.print(`after training: ${NO_TRAINED_CONVNET}`);
    return;
  }
  // 学習後の重み (the weights after training): network.load_params("params.pkl")
  const after = firstLayerFilters(trained.network, trained.path);
  ctx.print(`after training: ${trained.path}, filters ${after.shape.join('×')}`);
  ctx.savePicture('filters_after.png', filterShow(after));
}
