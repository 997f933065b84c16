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
 * The book's repository has had two such pickles: the 2016 one gives the book's 0.9935, the one
 * re-saved in 2022 (what github.com/oreilly-japan/deep-learning-from-scratch has now) 0.9797
 * with the book's own code (measured; see ../shared/book-params/README.md).
 */
export function loadDeepConvnet(ctx: BookContext): { network: Network; path: string } {
  const path = bookWeightsPath(ctx, 'deep_convnet_params.pkl', 'ch08/deep_convnet_params.pkl');
  return { network: loadNetworkFile(path), path };
}
