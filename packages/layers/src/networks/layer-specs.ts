import { type Pair, windowGeometry } from '@scratchnet/tensor';
import type { DropoutStyle } from '../dropout.js';
import type { Init } from '../init.js';
import { NetworkConfigError } from './network-config-error.js';

/**
 * A network as plain JSON: layers one after another, each described by a spec, as PyTorch's
 * `nn.Sequential`. A layer's `name` is its state-dict prefix (`conv1.weight`); without one it is
 * its index ("0", "1", …), as `nn.Sequential` numbers its children, so a PyTorch state dict maps
 * one to one. Input channels and features are never written: they follow from the shape before.
 * Options left out take the layer class's own default (Conv2d and Linear: PyTorch's init).
 */

interface Named {
  /** The state-dict prefix; letters, digits, `_` and `-`. Default: the index. */
  name?: string;
}

/** A `Conv2d` layer: `{ "type": "conv2d", "outChannels": 30, "kernelSize": 5 }`. */
export interface Conv2dSpec extends Named {
  /** The layer type. */
  type: 'conv2d';
  /** Number of filters: the output channels. */
  outChannels: number;
  /** Filter size, one number or [height, width]. */
  kernelSize: Pair;
  /** Default 1. */
  stride?: Pair;
  /** Default 0. */
  padding?: Pair;
  /** Default true. */
  bias?: boolean;
  /** Default 'pytorch' (uniform ±1/√fan-in); 'he', 'xavier', 'zeros' or `{ "std": 0.01 }`. */
  init?: Init;
}

/** A `MaxPool2d` or `AvgPool2d` layer: `{ "type": "maxPool2d", "kernelSize": 2 }`. */
export interface Pool2dSpec extends Named {
  /** The layer type: max or average pooling. */
  type: 'maxPool2d' | 'avgPool2d';
  /** Window size, one number or [height, width]. */
  kernelSize: Pair;
  /** Default: the kernel size. */
  stride?: Pair;
  /** Default 0; at most half the kernel. */
  padding?: Pair;
}

/** A `Linear` layer (the book's Affine): `{ "type": "linear", "outFeatures": 10 }`. */
export interface LinearSpec extends Named {
  /** The layer type. */
  type: 'linear';
  /** Size of each output sample. */
  outFeatures: number;
  /** Default true. */
  bias?: boolean;
  /** Default 'pytorch' (uniform ±1/√fan-in); 'he', 'xavier', 'zeros' or `{ "std": 0.01 }`. */
  init?: Init;
}

/** A `Dropout` layer: `{ "type": "dropout", "p": 0.5 }`. */
export interface DropoutSpec extends Named {
  /** The layer type. */
  type: 'dropout';
  /** The fraction dropped while training, in [0, 1). */
  p: number;
  /** Default 'inverted' (PyTorch's); 'book' scales by 1 − p at inference. */
  style?: DropoutStyle;
}

/** BatchNorm1d after a flat (or [C, L]) input, BatchNorm2d after an image [C, H, W]. */
export interface BatchNormSpec extends Named {
  /** The layer type. */
  type: 'batchNorm';
  /** Added to the variance before the square root; default 1e-5. */
  eps?: number;
  /** Weight of each new batch in the running statistics; default 0.1. */
  momentum?: number;
  /** Learn a scale and shift; default true. */
  affine?: boolean;
  /**
   * Running variance from the unbiased batch variance (PyTorch, the default) or the biased one (the
   * book).
   */
  unbiasedRunningVar?: boolean;
  /** The running variance before the first batch: 1 (PyTorch, the default) or 0 (the book). */
  initialRunningVar?: number;
}

/** Layers without options; `flatten` turns each sample into one vector, as before a `linear`. */
export interface PlainLayerSpec extends Named {
  /** The layer type. */
  type: 'relu' | 'sigmoid' | 'tanh' | 'flatten';
}

/** One layer of a `SequentialNet`, as JSON: the `type` says which. */
export type LayerSpec =
  | Conv2dSpec
  | Pool2dSpec
  | LinearSpec
  | DropoutSpec
  | BatchNormSpec
  | PlainLayerSpec;

/** The `type` of a layer spec: `'conv2d'`, `'linear'`, `'relu'`, … */
export type LayerSpecType = LayerSpec['type'];

/**
 * What one layer of a spec list comes to, computed without building it. Shapes are per sample
 * (no batch axis).
 */
export interface LayerShape {
  /** Its position in the spec list, from 0. */
  index: number;
  /** Its state-dict prefix: the spec's name, or its index. */
  name: string;
  /** The validated spec (only the fields it gave). */
  spec: LayerSpec;
  /** The class it builds, as `Module.typeName`: 'Conv2d', 'BatchNorm2d', … */
  typeName: string;
  /** The shape of one sample going in. */
  inputShape: number[];
  /** The shape of one sample coming out. */
  outputShape: number[];
  /** The state-dict entries it owns, by full name (`conv1.weight`), in PyTorch's order. */
  state: Record<string, number[]>;
  /** Learned values (buffers such as running_mean not counted), as `Module.parameterCount()`. */
  parameterCount: number;
}

/**
 * What a whole spec list comes to, computed without building it: `inferSequentialShapes`'s result.
 */
export interface SequentialShapes {
  /** The shape of one input sample. */
  inputShape: number[];
  /** The shape of one output sample (the last layer's). */
  outputShape: number[];
  /** Every layer, in order. */
  layers: LayerShape[];
  /** Every state-dict entry of the network, in order: exactly what `stateDict()` will hold. */
  state: Record<string, number[]>;
  /** Learned values in all, as `Module.parameterCount()`. */
  parameterCount: number;
}

/**
 * Bounds on what a spec list may ask for, checked before anything is allocated, so that a config
 * (from a file, or a link with no weights at all) cannot make us allocate gigabytes.
 */
export interface SequentialLimits {
  /** The largest integer field (sizes, channels, features, kernel, stride, padding). */
  size: number;
  /** Values per sample of the input and of any layer's output. */
  valuesPerSample: number;
  /** State values (parameters and buffers) in all. */
  stateValues: number;
  /** Layers in the list. */
  layers: number;
}

/** The default limits: sizes to 2^20, 2^24 values per sample (64 MiB), 2^26 state values (256 MiB). */
export const sequentialLimits: Readonly<SequentialLimits> = Object.freeze({
  size: 1 << 20,
  valuesPerSample: 1 << 24,
  stateValues: 1 << 26,
  layers: 100_000,
});

/**
 * No limits beyond safe integers: for the book's networks, whose configs only come with a file
 * that must hold every tensor they claim (the model loader compares them before building).
 */
export const noSequentialLimits: Readonly<SequentialLimits> = Object.freeze({
  size: Number.MAX_SAFE_INTEGER,
  valuesPerSample: Number.POSITIVE_INFINITY,
  stateValues: Number.POSITIVE_INFINITY,
  layers: Number.POSITIVE_INFINITY,
});

/** Options of `inferSequentialShapes`. */
export interface InferOptions {
  /** Starts every error message: the architecture, or the file or link the specs came from. */
  source?: string;
  /** The bounds to check; `sequentialLimits` when omitted. */
  limits?: Readonly<SequentialLimits>;
}

const fieldsByType: Record<LayerSpecType, readonly string[]> = {
  conv2d: ['outChannels', 'kernelSize', 'stride', 'padding', 'bias', 'init'],
  maxPool2d: ['kernelSize', 'stride', 'padding'],
  avgPool2d: ['kernelSize', 'stride', 'padding'],
  linear: ['outFeatures', 'bias', 'init'],
  dropout: ['p', 'style'],
  batchNorm: ['eps', 'momentum', 'affine', 'unbiasedRunningVar', 'initialRunningVar'],
  relu: [],
  sigmoid: [],
  tanh: [],
  flatten: [],
};

/** The layer types a spec may have. */
export const layerSpecTypes = Object.keys(fieldsByType) as LayerSpecType[];

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A value for a message: numbers as JavaScript prints them (NaN, 1e+300), the rest as JSON. */
function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const thousands = (n: number) => n.toLocaleString('en-US');
const formatDims = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const pair = (value: Pair): [number, number] =>
  typeof value === 'number' ? [value, value] : [value[0], value[1]];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one spec's fields, throwing `fail(message)` on the first that is wrong. */
class FieldReader {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly fail: (message: string) => never,
    private readonly maxSize: number,
  ) {}

  private has(field: string): boolean {
    return Object.hasOwn(this.raw, field) && this.raw[field] !== undefined;
  }

  private isInt(value: unknown, min: number): value is number {
    return (
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= this.maxSize
    );
  }

  int(field: string, min: number, optional = false): number | undefined {
    if (optional && !this.has(field)) return undefined;
    const value = this.raw[field];
    if (!this.isInt(value, min)) {
      this.fail(
        `"${field}" is ${show(value)}, expected an integer from ${min} to ${thousands(this.maxSize)}`,
      );
    }
    return value;
  }

  /** A size per spatial axis: one integer, or [height, width]. */
  pair(field: string, min: number, optional = false): Pair | undefined {
    if (optional && !this.has(field)) return undefined;
    const value = this.raw[field];
    if (this.isInt(value, min)) return value;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => this.isInt(v, min))) {
      return [value[0] as number, value[1] as number];
    }
    return this.fail(
      `"${field}" is ${show(value)}, expected an integer from ${min} to ${thousands(this.maxSize)}, or [height, width] of them`,
    );
  }

  number(
    field: string,
    ok: (v: number) => boolean,
    range: string,
    optional = true,
  ): number | undefined {
    if (optional && !this.has(field)) return undefined;
    const value = this.raw[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
      this.fail(`"${field}" is ${show(value)}, expected a number ${range}`);
    }
    return value;
  }

  boolean(field: string): boolean | undefined {
    if (!this.has(field)) return undefined;
    const value = this.raw[field];
    if (typeof value !== 'boolean')
      this.fail(`"${field}" is ${show(value)}, expected true or false`);
    return value;
  }

  oneOf<T extends string>(field: string, options: readonly T[]): T | undefined {
    if (!this.has(field)) return undefined;
    const value = this.raw[field];
    if (!options.includes(value as T)) {
      this.fail(
        `"${field}" is ${show(value)}, expected ${options.map((o) => JSON.stringify(o)).join(' or ')}`,
      );
    }
    return value as T;
  }

  init(): Init | undefined {
    if (!this.has('init')) return undefined;
    const value = this.raw.init;
    if (value === 'he' || value === 'xavier' || value === 'pytorch' || value === 'zeros') {
      return value;
    }
    const std = isRecord(value) ? value.std : undefined;
    if (
      isRecord(value) &&
      Object.keys(value).length === 1 &&
      typeof std === 'number' &&
      Number.isFinite(std) &&
      std >= 0
    ) {
      return { std };
    }
    return this.fail(
      `"init" is ${show(value)}, expected "he", "xavier", "pytorch", "zeros" or { "std": a number ≥ 0 }`,
    );
  }
}

/** The spec with only the fields given (copied, so later changes to the input do not reach it). */
function readSpec(type: LayerSpecType, name: string | undefined, read: FieldReader): LayerSpec {
  const named = name === undefined ? {} : { name };
  const defined = <T extends object>(spec: T): T =>
    Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as T;
  switch (type) {
    case 'conv2d':
      return defined({
        type,
        ...named,
        outChannels: read.int('outChannels', 1)!,
        kernelSize: read.pair('kernelSize', 1)!,
        stride: read.pair('stride', 1, true),
        padding: read.pair('padding', 0, true),
        bias: read.boolean('bias'),
        init: read.init(),
      });
    case 'maxPool2d':
    case 'avgPool2d':
      return defined({
        type,
        ...named,
        kernelSize: read.pair('kernelSize', 1)!,
        stride: read.pair('stride', 1, true),
        padding: read.pair('padding', 0, true),
      });
    case 'linear':
      return defined({
        type,
        ...named,
        outFeatures: read.int('outFeatures', 1)!,
        bias: read.boolean('bias'),
        init: read.init(),
      });
    case 'dropout':
      return defined({
        type,
        ...named,
        p: read.number('p', (v) => v >= 0 && v < 1, 'in [0, 1)', false)!,
        style: read.oneOf('style', ['inverted', 'book']),
      });
    case 'batchNorm':
      return defined({
        type,
        ...named,
        eps: read.number('eps', (v) => v > 0, '> 0'),
        momentum: read.number('momentum', (v) => v >= 0 && v <= 1, 'in [0, 1]'),
        affine: read.boolean('affine'),
        unbiasedRunningVar: read.boolean('unbiasedRunningVar'),
        initialRunningVar: read.number('initialRunningVar', (v) => v >= 0, '≥ 0'),
      });
    default:
      return { type, ...named };
  }
}

/** How messages name a layer: `layer 3 "fc1" (linear)`, or `layer 3 (linear)` without a name. */
function layerLabel(index: number, type: string | undefined, name: string | undefined): string {
  return `layer ${index}${name === undefined ? '' : ` ${JSON.stringify(name)}`}${type === undefined ? '' : ` (${type})`}`;
}

/**
 * Checks untyped JSON (a file's or a link's) as a list of layer specs, field by field, and returns
 * clean copies holding only the fields given. Refuses, with the index, name, type and field:
 * a type it does not know, a field it does not know (`kernel_size`), a missing or wrong value
 * (`"kernelSize": 0`, `"p": 1.5`, `"padding": -1`, NaN, a string), and two layers with one name.
 * Shapes are not checked here: `inferSequentialShapes` does that.
 *
 * @example
 * parseLayerSpecs(JSON.parse('[{ "type": "linear", "outFeatures": 10 }]')); // [{ type: 'linear', outFeatures: 10 }]
 * parseLayerSpecs([{ type: 'conv2d', outChannels: 8, kernelSize: 0 }], 'net.json');
 * // NetworkConfigError: net.json: layer 0 (conv2d): "kernelSize" is 0, expected an integer from 1 to 1,048,576, …
 */
export function parseLayerSpecs(
  json: unknown,
  source = 'layers',
  limits: Readonly<SequentialLimits> = sequentialLimits,
): LayerSpec[] {
  if (!Array.isArray(json)) {
    throw new NetworkConfigError(`${source}: expected a list of layer specs, got ${show(json)}`);
  }
  if (json.length > limits.layers) {
    throw new NetworkConfigError(
      `${source}: ${thousands(json.length)} layers, more than the limit of ${thousands(limits.layers)}`,
    );
  }
  const firstByName = new Map<string, number>();
  return json.map((raw: unknown, index) => {
    const rawName = isRecord(raw) ? raw.name : undefined;
    const rawType = isRecord(raw) ? raw.type : undefined;
    const known = typeof rawType === 'string' && Object.hasOwn(fieldsByType, rawType);
    const fail = (message: string): never => {
      const name = typeof rawName === 'string' ? rawName : undefined;
      throw new NetworkConfigError(
        `${source}: ${layerLabel(index, known ? rawType : undefined, name)}: ${message}`,
      );
    };
    if (!isRecord(raw)) return fail(`expected an object like { "type": "relu" }, got ${show(raw)}`);
    if (!known) {
      return fail(
        `${rawType === undefined ? 'no "type"' : `unknown type ${show(rawType)}`} (known: ${layerSpecTypes.join(', ')})`,
      );
    }
    const type = rawType as LayerSpecType;
    if (rawName !== undefined && (typeof rawName !== 'string' || !NAME.test(rawName))) {
      fail(`"name" is ${show(rawName)}, expected 1 to 64 letters, digits, "_" or "-"`);
    }
    const allowed = fieldsByType[type];
    for (const field of Object.keys(raw)) {
      if (field !== 'type' && field !== 'name' && !allowed.includes(field)) {
        fail(
          `unknown field ${show(field)} (${type} takes ${['name', ...allowed].map((f) => `"${f}"`).join(', ')})`,
        );
      }
    }
    const name = rawName as string | undefined;
    const key = name ?? String(index);
    const earlier = firstByName.get(key);
    if (earlier !== undefined) {
      fail(
        `the name "${key}" is already layer ${earlier}'s${name === undefined ? ' (an unnamed layer is named by its index)' : ''}`,
      );
    }
    firstByName.set(key, index);
    return readSpec(type, name, new FieldReader(raw, fail, limits.size));
  });
}

/**
 * Checks the shape of one input sample (no batch axis): 1 to 3 integer sizes.
 */
function parseInputShape(value: unknown, source: string, maxSize: number): number[] {
  if (
    !Array.isArray(value) ||
    value.length < 1 ||
    value.length > 3 ||
    !value.every((d) => Number.isInteger(d) && d >= 1 && d <= maxSize)
  ) {
    throw new NetworkConfigError(
      `${source}: "inputShape" is ${show(value)}, expected 1 to 3 integers from 1 to ${thousands(maxSize)}, e.g. [1, 28, 28]`,
    );
  }
  return [...value];
}

const classNames: Record<LayerSpecType, string> = {
  conv2d: 'Conv2d',
  maxPool2d: 'MaxPool2d',
  avgPool2d: 'AvgPool2d',
  linear: 'Linear',
  dropout: 'Dropout',
  batchNorm: 'BatchNorm', // 1d or 2d: decided by the input's rank
  relu: 'ReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  flatten: 'Flatten',
};

/**
 * Works out, from the input shape of one sample and the layer specs alone (nothing is allocated),
 * every layer's input and output shape, the class it builds, the state-dict entries it owns and
 * its parameter count: what `SequentialNet` builds and `networkStateShapes` reports, from one
 * place. Specs are checked as by `parseLayerSpecs`. A layer that does not fit the shape before it
 * is refused with its index, name and type (`layer 3 "fc1" (linear): expects a flat input but
 * gets [30, 12, 12]: add { "type": "flatten" } before it`), as is an input too small for a window
 * or a network past the limits (`sequentialLimits` unless `options.limits` says otherwise). A
 * `linear` does not flatten by itself (as in PyTorch and Keras). Errors are `NetworkConfigError`s
 * starting with the source (`options.source`, or `options` itself as a string; 'sequential' by
 * default).
 *
 * @example
 * const { layers, parameterCount } = inferSequentialShapes([1, 28, 28], [
 *   { type: 'conv2d', name: 'conv1', outChannels: 30, kernelSize: 5 },
 *   { type: 'relu' },
 *   { type: 'maxPool2d', kernelSize: 2 },
 *   { type: 'flatten' },
 *   { type: 'linear', name: 'fc1', outFeatures: 10 },
 * ]);
 * layers.map((l) => l.outputShape); // [[30, 24, 24], [30, 24, 24], [30, 12, 12], [4320], [10]]
 * parameterCount; // 780 + 43,210 = 43,990
 */
export function inferSequentialShapes(
  inputShape: readonly number[],
  specs: readonly LayerSpec[],
  options: InferOptions | string = {},
): SequentialShapes {
  const { source = 'sequential', limits = sequentialLimits } =
    typeof options === 'string' ? { source: options } : options;
  const input = parseInputShape(inputShape, source, limits.size);
  checkValues(input, limits, () => `${source}: the input ${formatDims(input)}`);
  const parsed = parseLayerSpecs(specs, source, limits);
  const layers: LayerShape[] = [];
  const state: Record<string, number[]> = {};
  let stateValues = 0;
  let parameterCount = 0;
  let shape = input;
  parsed.forEach((spec, index) => {
    const name = spec.name ?? String(index);
    const where = `${source}: ${layerLabel(index, spec.type, spec.name)}`;
    const layer = inferLayer(spec, shape, where);
    checkValues(
      layer.outputShape,
      limits,
      () => `${where}: its output ${formatDims(layer.outputShape)}`,
    );
    const own: Record<string, number[]> = {};
    let parameters = 0;
    for (const [entry, entryShape, learned] of layer.state) {
      own[`${name}.${entry}`] = entryShape;
      const size = entryShape.reduce((a, b) => a * b, 1);
      stateValues += size;
      if (learned) parameters += size;
    }
    if (stateValues > limits.stateValues) {
      throw new NetworkConfigError(
        `${where}: the layers up to here hold ${thousands(stateValues)} values, more than the limit of ${thousands(limits.stateValues)}`,
      );
    }
    Object.assign(state, own);
    parameterCount += parameters;
    layers.push({
      index,
      name,
      spec,
      typeName: layer.typeName,
      inputShape: shape,
      outputShape: layer.outputShape,
      state: own,
      parameterCount: parameters,
    });
    shape = layer.outputShape;
  });
  return { inputShape: input, outputShape: shape, layers, state, parameterCount };
}

function checkValues(
  shape: readonly number[],
  limits: Readonly<SequentialLimits>,
  what: () => string,
): void {
  const values = shape.reduce((a, b) => a * b, 1);
  if (values > limits.valuesPerSample) {
    throw new NetworkConfigError(
      `${what()} has ${thousands(values)} values per sample, more than the limit of ${thousands(limits.valuesPerSample)}`,
    );
  }
}

interface InferredLayer {
  typeName: string;
  outputShape: number[];
  /** [name within the layer, shape, learned (a parameter rather than a buffer)] */
  state: [string, number[], boolean][];
}

function inferLayer(spec: LayerSpec, shape: number[], where: string): InferredLayer {
  const typeName = classNames[spec.type];
  const image = (): [number, number, number] => {
    if (shape.length !== 3) {
      throw new NetworkConfigError(
        `${where}: expects an image input [channels, height, width] but gets ${formatDims(shape)}`,
      );
    }
    return shape as [number, number, number];
  };
  switch (spec.type) {
    case 'conv2d': {
      const [channels, height, width] = image();
      const [kh, kw] = pair(spec.kernelSize);
      const [outH, outW] = windowOutput(
        'convolution',
        [height, width],
        spec.kernelSize,
        spec.stride ?? 1,
        spec.padding ?? 0,
        where,
      );
      const state: InferredLayer['state'] = [
        ['weight', [spec.outChannels, channels, kh, kw], true],
      ];
      if (spec.bias ?? true) state.push(['bias', [spec.outChannels], true]);
      return { typeName, outputShape: [spec.outChannels, outH, outW], state };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const [channels, height, width] = image();
      const padding = pair(spec.padding ?? 0);
      const kernel = pair(spec.kernelSize);
      if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
        throw new NetworkConfigError(
          `${where}: padding ${padding.join('×')} is more than half the kernel ${kernel.join('×')}`,
        );
      }
      const [outH, outW] = windowOutput(
        'pooling',
        [height, width],
        spec.kernelSize,
        spec.stride ?? spec.kernelSize,
        spec.padding ?? 0,
        where,
      );
      return { typeName, outputShape: [channels, outH, outW], state: [] };
    }
    case 'linear': {
      if (shape.length !== 1) {
        throw new NetworkConfigError(
          `${where}: expects a flat input but gets ${formatDims(shape)}: add { "type": "flatten" } before it`,
        );
      }
      const state: InferredLayer['state'] = [['weight', [spec.outFeatures, shape[0]!], true]];
      if (spec.bias ?? true) state.push(['bias', [spec.outFeatures], true]);
      return { typeName, outputShape: [spec.outFeatures], state };
    }
    case 'batchNorm': {
      // Shapes have 1 to 3 axes (the input's limit; no layer adds one): each batch norm fits.
      const channels = shape[0]!;
      const learned = spec.affine ?? true;
      const state: InferredLayer['state'] = learned
        ? [
            ['weight', [channels], true],
            ['bias', [channels], true],
          ]
        : [];
      state.push(
        ['running_mean', [channels], false],
        ['running_var', [channels], false],
        ['num_batches_tracked', [], false],
      );
      return {
        typeName: shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d',
        outputShape: shape,
        state,
      };
    }
    case 'flatten':
      return { typeName, outputShape: [shape.reduce((a, b) => a * b, 1)], state: [] };
    default:
      return { typeName, outputShape: shape, state: [] };
  }
}

/**
 * A window's output size, floor((H + 2P − K) / S) + 1, by the tensor ops' own `windowGeometry`
 * once the window is known to fit, so the two cannot disagree.
 */
function windowOutput(
  what: string,
  [height, width]: [number, number],
  kernel: Pair,
  stride: Pair,
  padding: Pair,
  where: string,
): [number, number] {
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(stride);
  const [ph, pw] = pair(padding);
  const outH = Math.floor((height + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((width + 2 * pw - kw) / sw) + 1;
  if (outH < 1 || outW < 1) {
    throw new NetworkConfigError(
      `${where}: the ${what} output size comes out as ${outH}×${outW} (input ${height}×${width}, kernel ${kh}×${kw}, stride ${sh}×${sw}, padding ${ph}×${pw}): the input is too small`,
    );
  }
  const g = windowGeometry(what, [1, 1, height, width], kernel, stride, padding);
  return [g.outH, g.outW];
}
