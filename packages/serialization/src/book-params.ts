import {
  DeepConvNet,
  MultiLayerNet,
  type Network,
  SimpleConvNet,
  type StateDict,
} from '@scratchnet/layers';
import { type Tensor, tensor } from '@scratchnet/tensor';
import { decodeNumpyPickle, type NumpyArray, numpyToFloat32, UnpicklingError } from './pickle.js';

/** The networks the book saved parameters for. */
export type BookArchitecture = 'mlp' | 'simple-convnet' | 'deep-convnet';

interface BookLayout {
  build(): Network;
  /** scratchnet state name for each of the book's keys, and whether the book stores it (in, out). */
  keys: Record<string, { name: string; transpose: boolean }>;
}

function layout(entries: [string, string, boolean][]): BookLayout['keys'] {
  return Object.fromEntries(entries.map(([key, name, transpose]) => [key, { name, transpose }]));
}

const layouts: Record<BookArchitecture, BookLayout> = {
  // ch03/neuralnet_mnist.py: 784-50-100-10 with sigmoid, from sample_weight.pkl.
  mlp: {
    build: () =>
      new MultiLayerNet({
        inputSize: 784,
        hiddenSizeList: [50, 100],
        outputSize: 10,
        activation: 'sigmoid',
      }),
    keys: layout([
      ['W1', 'fc1.weight', true],
      ['b1', 'fc1.bias', false],
      ['W2', 'fc2.weight', true],
      ['b2', 'fc2.bias', false],
      ['W3', 'fc3.weight', true],
      ['b3', 'fc3.bias', false],
    ]),
  },
  'simple-convnet': {
    build: () => new SimpleConvNet(),
    keys: layout([
      ['W1', 'conv1.weight', false],
      ['b1', 'conv1.bias', false],
      ['W2', 'fc1.weight', true],
      ['b2', 'fc1.bias', false],
      ['W3', 'fc2.weight', true],
      ['b3', 'fc2.bias', false],
    ]),
  },
  'deep-convnet': {
    // The book's dropout scales by (1 − 0.5) at test time; its weights expect that.
    build: () => new DeepConvNet({ dropoutStyle: 'book' }),
    keys: layout([
      ...[1, 2, 3, 4, 5, 6].flatMap((i): [string, string, boolean][] => [
        [`W${i}`, `conv${i}.weight`, false],
        [`b${i}`, `conv${i}.bias`, false],
      ]),
      ['W7', 'fc1.weight', true],
      ['b7', 'fc1.bias', false],
      ['W8', 'fc2.weight', true],
      ['b8', 'fc2.bias', false],
    ]),
  },
};

/** Where one of the book's parameters lives in the matching scratchnet network. */
export interface BookParamName {
  /** The scratchnet state name: 'conv1.weight', 'fc1.bias', … */
  name: string;
  /** The book stores it transposed: affine weights are (in, out) there, [out, in] here. */
  transpose: boolean;
}

/**
 * The book's parameter names for one of its networks, in the book's order (W1, b1, W2, …), each
 * with the scratchnet state name it is and whether the book's array is its transpose: to print a
 * network's parameters as the book's `network.params` shows them, or compare gradients by the
 * book's keys.
 *
 * @example
 * bookParamNames('simple-convnet').W2; // { name: 'fc1.weight', transpose: true }
 */
export function bookParamNames(architecture: BookArchitecture): Record<string, BookParamName> {
  const layout = layouts[architecture];
  if (!layout) throw new RangeError(`bookParamNames: no book network "${architecture}"`);
  return Object.fromEntries(Object.entries(layout.keys).map(([key, entry]) => [key, { ...entry }]));
}

/** Which of the book's networks a parameter dict is, from its keys and W1's shape. */
export function detectBookArchitecture(
  params: Record<string, NumpyArray>,
  source: string,
): BookArchitecture {
  const w1 = params.W1;
  if (!w1)
    throw new UnpicklingError(
      source,
      `no W1: not one of the book's parameter files (keys: ${Object.keys(params).join(', ')})`,
    );
  if ('W8' in params) return 'deep-convnet';
  if (w1.shape.length === 4) return 'simple-convnet';
  if (w1.shape.length === 2) return 'mlp';
  throw new UnpicklingError(
    source,
    `W1 has shape [${w1.shape.join(', ')}], which none of the book's networks has`,
  );
}

/** A book array as a scratchnet tensor, transposed from (in, out) to [out, in] where asked. */
function toTensor(array: NumpyArray, transpose: boolean): Tensor {
  const t = tensor(numpyToFloat32(array), array.shape);
  return transpose ? t.T : t;
}

/** Options of `importBookParams`. */
export interface ImportBookOptions {
  /** Names the file in error messages. */
  source?: string;
  /** Skip detection and read the file as this network. */
  architecture?: BookArchitecture;
}

/**
 * Turns the book's saved parameters (`save_params`: a pickled dict W1, b1, … of numpy arrays)
 * into the matching scratchnet network: SimpleConvNet (ch07 params.pkl), DeepConvNet (ch08
 * deep_convnet_params.pkl) or the chapter 3 MLP (sample_weight.pkl). The pickle is read by a
 * restricted reader that never executes anything. The network is returned in evaluation mode.
 *
 * @param options - The file's name for errors, and the architecture if not detected: see {@link
 *   ImportBookOptions}.
 *
 * @example
 * const net = importBookParams(readFileSync('deep_convnet_params.pkl'), { source: 'deep_convnet_params.pkl' });
 * net.accuracy(testImages, testLabels); // 0.9935 with the 2016 parameters
 */
export function importBookParams(
  bytes: Uint8Array,
  { source = 'pickle', architecture }: ImportBookOptions = {},
): Network {
  const params = decodeNumpyPickle(bytes, { source });
  const kind = architecture ?? detectBookArchitecture(params, source);
  const { build, keys } = layouts[kind];
  const unexpected = Object.keys(params).filter((key) => !(key in keys));
  if (unexpected.length > 0) {
    throw new UnpicklingError(
      source,
      `keys ${unexpected.join(', ')} are not part of the book's ${kind}`,
    );
  }
  const state: StateDict = {};
  for (const [key, { name, transpose }] of Object.entries(keys)) {
    const array = params[key];
    if (!array)
      throw new UnpicklingError(
        source,
        `missing ${key} (the book's ${kind} has ${Object.keys(keys).join(', ')})`,
      );
    state[name] = toTensor(array, transpose);
  }
  const network = build();
  // Batch-norm buffers are not in the book's files; keep the network's own (strict: false).
  try {
    network.loadStateDict(state, { strict: !network.namedBuffers().length });
  } catch (error) {
    throw new UnpicklingError(source, (error as Error).message);
  }
  return network.eval();
}
