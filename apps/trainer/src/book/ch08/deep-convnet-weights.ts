/** The book's trained DeepConvNet, as ch08's misclassified_mnist.py and half_float_network.py load it. */
import type { Network } from '@scratchnet/layers';
import type { BookContext } from '../context.js';
import { loadNetworkFile } from '../networks.js';
import { bookWeightsPath } from '../weights.js';

/**
 * `network = DeepConvNet(); network.load_params("deep_convnet_params.pkl")`: `--weights FILE`,
 * else deep_convnet_params.pkl in the working directory; the book's pickle or a scratchnet model
 * file (what ch08/train-deepnet saves). A missing file is an error saying where to get it.
 *
 * The book's repository has had two such pickles, with the book's own code (measured; see
 * ../shared/book-params/README.md): deep_convnet_params_2016.pkl, first published in 2016, gives
 * 0.9935 on the full test set; deep_convnet_params.pkl, the 2022 re-save that
 * github.com/oreilly-japan/deep-learning-from-scratch has now, gives 0.9797.
 */
export function loadDeepConvnet(ctx: BookContext): { network: Network; path: string } {
  const path = bookWeightsPath(ctx, 'deep_convnet_params.pkl', 'ch08/deep_convnet_params.pkl');
  return { network: loadNetworkFile(path), path };
}
