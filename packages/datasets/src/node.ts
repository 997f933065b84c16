/**
 * `@scratchnet/datasets/node`: the parts that read the file system (node:fs). Kept out of the main
 * entry so that browser bundles of `@scratchnet/datasets` never pull in Node built-ins.
 *
 * @module @scratchnet/datasets/node
 */
export type { LoadFashionMnistOptions, LoadMnistOptions } from './mnist.js';
export {
  bundledMnistDir,
  clearDatasetCache,
  DatasetNotFoundError,
  DEFAULT_FASHION_MNIST_DIR,
  loadFashionMnist,
  loadMnist,
} from './mnist.js';
export { readIdxFile } from './read-idx-file.js';
