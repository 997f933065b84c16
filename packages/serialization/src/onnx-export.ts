import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  DeepConvNet,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  MultiLayerNet,
  MultiLayerNetExtend,
  Network,
  ReLU,
  Sequential,
  SequentialNet,
  Sigmoid,
  SimpleConvNet,
  Softmax,
  Tanh,
} from '@scratchnet/layers';
import { noGrad, type Pair, type Tensor, tensor } from '@scratchnet/tensor';
import * as onnxProtoModule from 'onnx-proto';

/**
 * ONNX export: a network's inference graph as an ONNX `ModelProto` (opset 13), encoded by the
 * protobuf.js code that `onnx-proto` generates from the official `onnx.proto`. Each layer becomes
 * the ONNX operator of the same meaning, its weights become initializers under their state-dict
 * names (`conv1.weight`, `fc1.bias`, …), and the batch axis is symbolic (`batch`).
 */

type OnnxNamespace = typeof onnxProtoModule.onnx;
// onnx-proto is CommonJS: Node's ESM loader exposes it as `default` only, bundlers may name it.
const onnxModule = onnxProtoModule as unknown as {
  onnx?: OnnxNamespace;
  default?: { onnx: OnnxNamespace };
};
const onnx: OnnxNamespace = onnxModule.onnx ?? onnxModule.default!.onnx;

type NodeProto = onnxProtoModule.onnx.INodeProto;
type TensorProto = onnxProtoModule.onnx.ITensorProto;
type AttributeProto = onnxProtoModule.onnx.IAttributeProto;

/** The ONNX opset the graphs use (every operator emitted has had its current meaning since 13). */
export const ONNX_OPSET = 13;

/** A network or layer that cannot be written as ONNX; the message names it. */
export class OnnxExportError extends Error {
  /** The error name, also after minification. */
  override name = 'OnnxExportError';
}

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /**
   * The shape of one input sample, without the batch axis; default the network's `inputShape`
   * (required for a bare `Sequential`).
   */
  inputShape?: readonly number[];
  /** The graph input's name; default `'input'`. */
  inputName?: string;
  /** The graph output's name; default `'logits'` (`'output'` when the last layer is a Softmax). */
  outputName?: string;
  /** Extra `metadata_props` key-value pairs stored in the model. */
  metadata?: Record<string, string>;
}

/** One step of a network's forward pass, in order: a layer, or the flatten between two. */
type Step = { name: string; module: Module } | { name: string; flattenFrom: number };

const SUPPORTED = [
  'Conv2d',
  'ReLU',
  'Sigmoid',
  'Tanh',
  'MaxPool2d',
  'AvgPool2d',
  'Flatten',
  'Linear',
  'BatchNorm1d',
  'BatchNorm2d',
  'Dropout',
  'Softmax',
  'Sequential',
];

/**
 * The layers written as ONNX operators, by exact class: a subclass may compute something else in
 * its `forward`, so it is refused by name like any other unknown layer.
 */
const LEAF_LAYERS = new Set<unknown>([
  Conv2d,
  Linear,
  ReLU,
  Sigmoid,
  Tanh,
  MaxPool2d,
  AvgPool2d,
  Flatten,
  BatchNorm1d,
  BatchNorm2d,
  Dropout,
  Softmax,
]);

function isLeafLayer(module: Module): boolean {
  return LEAF_LAYERS.has(module.constructor);
}

function describe(name: string, module: Module): string {
  return name ? `${name} (${module.typeName})` : module.typeName;
}

/**
 * The forward order of the networks this exporter knows: the book's three have fixed ones (see
 * their `forward`), a Sequential runs its children in order, a layer is itself.
 */
function forwardSteps(module: Module, name: string, inputRank: number): Step[] {
  const child = (key: string): Step => {
    const value = (module as unknown as Record<string, unknown>)[key];
    if (!(value && typeof value === 'object' && 'forward' in value)) {
      throw new OnnxExportError(`${describe(name, module)} has no layer '${key}'`);
    }
    return { name: name ? `${name}.${key}` : key, module: value as Module };
  };
  const flatten = (): Step => ({ name: name ? `${name}.flatten` : 'flatten', flattenFrom: 1 });
  const kind: unknown = module.constructor;
  if (kind === SimpleConvNet) {
    return [
      ...['conv1', 'relu1', 'pool1'].map(child),
      flatten(),
      ...['fc1', 'relu2', 'fc2'].map(child),
    ];
  }
  if (kind === DeepConvNet) {
    return [
      ...['conv1', 'relu1', 'conv2', 'relu2', 'pool1'].map(child),
      ...['conv3', 'relu3', 'conv4', 'relu4', 'pool2'].map(child),
      ...['conv5', 'relu5', 'conv6', 'relu6', 'pool3'].map(child),
      flatten(),
      ...['fc1', 'relu7', 'dropout1', 'fc2', 'dropout2'].map(child),
    ];
  }
  if (module instanceof MultiLayerNet && (kind === MultiLayerNet || kind === MultiLayerNetExtend)) {
    // fc1, bn1, act1, dropout1, fc2, …: its children, in the order they were added.
    const steps: Step[] = inputRank > 2 ? [flatten()] : [];
    for (const [key] of module.namedChildren()) steps.push(child(key));
    return steps;
  }
  if (module instanceof Sequential && kind === Sequential) {
    return module.layers.flatMap((layer, i) => {
      const childName = name ? `${name}.${i}` : String(i);
      // Ranks inside a Sequential are checked when the graph is built.
      return forwardSteps(layer, childName, 0);
    });
  }
  if (module instanceof SequentialNet && kind === SequentialNet) {
    // A network described by layer specs: its layers in order, under their spec names.
    return module.shapes.layers.map((layer, i) => {
      const childName = name ? `${name}.${layer.name}` : layer.name;
      const built = module.layers[i]!;
      if (!isLeafLayer(built)) {
        throw new OnnxExportError(`cannot export ${describe(childName, built)}: unsupported layer`);
      }
      return { name: childName, module: built };
    });
  }
  if (isLeafLayer(module)) return [{ name, module }];
  throw new OnnxExportError(
    `cannot export ${describe(name, module)} to ONNX: unsupported layer (supported: ${SUPPORTED.join(', ')}, and the networks SimpleConvNet, DeepConvNet, MultiLayerNet and SequentialNet)`,
  );
}

const pair = (value: Pair): [number, number] =>
  typeof value === 'number' ? [value, value] : [value[0], value[1]];

function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  // raw_data is little-endian; copy so the bytes are exactly this tensor's.
  const raw = new Uint8Array(values.byteLength);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function int64Tensor(name: string, values: readonly number[]): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => {
    view.setBigInt64(i * 8, BigInt(v), true);
  });
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: raw };
}

const ints = (name: string, values: readonly number[]): AttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: [...values],
});
const int = (name: string, value: number): AttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i: value,
});
const float = (name: string, value: number): AttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.FLOAT,
  f: value,
});

/** Builds the graph while the reference pass runs each step, so every shape is known. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** Whether a Flatten merged the batch axis into others (the output's first axis is not `batch`). */
  batchMerged = false;
  private readonly usedNames = new Set<string>();

  unique(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  initializer(name: string, value: Tensor | Float32Array, dims?: readonly number[]): string {
    const unique = this.unique(name);
    const values = value instanceof Float32Array ? value : value.dataSync();
    const shape = dims ?? (value instanceof Float32Array ? [value.length] : value.shape);
    this.initializers.push(floatTensor(unique, shape, values));
    return unique;
  }

  int64Initializer(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push(int64Tensor(unique, values));
    return unique;
  }

  node(
    opType: string,
    stepName: string,
    inputs: string[],
    attributes: AttributeProto[] = [],
  ): string {
    const output = this.unique(`${stepName}.out`);
    this.nodes.push({
      opType,
      name: this.unique(`${stepName}.${opType}`),
      input: inputs,
      output: [output],
      attribute: attributes,
    });
    return output;
  }
}

/** Emits one step's ONNX node(s) reading `input` (of shape `inShape`, batch first). */
function emitStep(
  graph: GraphBuilder,
  step: Step,
  input: string,
  inShape: readonly number[],
  outShape: readonly number[],
): string {
  if (!('module' in step)) {
    return graph.node('Flatten', step.name, [input], [int('axis', step.flattenFrom)]);
  }
  const { module, name } = step;
  const where = describe(name, module);
  if (module instanceof Conv2d) {
    const [kh, kw] = [module.weight.shape[2]!, module.weight.shape[3]!];
    const [sh, sw] = pair(module.stride);
    const [ph, pw] = pair(module.padding);
    const inputs = [input, graph.initializer(`${name}.weight`, module.weight)];
    if (module.bias) inputs.push(graph.initializer(`${name}.bias`, module.bias));
    return graph.node('Conv', name, inputs, [
      ints('kernel_shape', [kh, kw]),
      ints('strides', [sh, sw]),
      ints('pads', [ph, pw, ph, pw]),
      ints('dilations', [1, 1]),
      int('group', 1),
    ]);
  }
  if (module instanceof Linear) {
    if (inShape.length !== 2) {
      throw new OnnxExportError(
        `cannot export ${where}: ONNX Gemm needs a [batch, features] input, this one is [batch, ${inShape.slice(1).join(', ')}] (add a Flatten before it)`,
      );
    }
    const inputs = [input, graph.initializer(`${name}.weight`, module.weight)];
    if (module.bias) inputs.push(graph.initializer(`${name}.bias`, module.bias));
    return graph.node('Gemm', name, inputs, [
      float('alpha', 1),
      float('beta', 1),
      int('transA', 0),
      int('transB', 1),
    ]);
  }
  if (module instanceof ReLU) return graph.node('Relu', name, [input]);
  if (module instanceof Sigmoid) return graph.node('Sigmoid', name, [input]);
  if (module instanceof Tanh) return graph.node('Tanh', name, [input]);
  if (module instanceof Softmax)
    return graph.node('Softmax', name, [input], [int('axis', module.axis)]);
  if (module instanceof MaxPool2d || module instanceof AvgPool2d) {
    const { kernelSize, stride, padding = 0 } = module.options;
    const [kh, kw] = pair(kernelSize);
    const [sh, sw] = pair(stride ?? kernelSize);
    const [ph, pw] = pair(padding);
    const attributes = [
      ints('kernel_shape', [kh, kw]),
      ints('strides', [sh, sw]),
      ints('pads', [ph, pw, ph, pw]),
      int('ceil_mode', 0),
    ];
    if (module instanceof MaxPool2d) return graph.node('MaxPool', name, [input], attributes);
    // Padded cells count as zeros in the mean, as scratchnet's (and PyTorch's default) avgPool2d.
    return graph.node('AveragePool', name, [input], [...attributes, int('count_include_pad', 1)]);
  }
  if (module instanceof Flatten) {
    const rank = inShape.length;
    const start = module.startAxis < 0 ? module.startAxis + rank : module.startAxis;
    const end = module.endAxis < 0 ? module.endAxis + rank : module.endAxis;
    if (start === 1 && end === rank - 1)
      return graph.node('Flatten', name, [input], [int('axis', 1)]);
    // Otherwise a Reshape: 0 copies the batch axis, -1 takes the merged axes (which hold the batch
    // when start is 0), the rest are the reference pass's sizes.
    const target = outShape.map((size, axis) => (axis === start ? -1 : axis === 0 ? 0 : size));
    if (start === 0) graph.batchMerged = true;
    return graph.node('Reshape', name, [input, graph.int64Initializer(`${name}.shape`, target)]);
  }
  if (module instanceof BatchNorm1d || module instanceof BatchNorm2d) {
    if (inShape.length < 2)
      throw new OnnxExportError(`cannot export ${where}: input rank ${inShape.length}`);
    const state = module.stateDict();
    const c = module.numFeatures;
    const scale = module.weight ?? new Float32Array(c).fill(1);
    const shift = module.bias ?? new Float32Array(c);
    const node = graph.node(
      'BatchNormalization',
      name,
      [
        input,
        graph.initializer(`${name}.weight`, scale, [c]),
        graph.initializer(`${name}.bias`, shift, [c]),
        graph.initializer(`${name}.running_mean`, state.running_mean!, [c]),
        graph.initializer(`${name}.running_var`, state.running_var!, [c]),
      ],
      [float('epsilon', module.eps)],
    );
    for (const t of Object.values(state)) t.dispose();
    return node;
  }
  if (module instanceof Dropout) {
    // At inference PyTorch's (inverted) dropout is the identity; the book's multiplies by 1 − p.
    if (module.style === 'book' && module.p !== 0) {
      const scale = graph.initializer(`${name}.scale`, Float32Array.of(1 - module.p), []);
      return graph.node('Mul', name, [input, scale]);
    }
    return graph.node('Identity', name, [input]);
  }
  throw new OnnxExportError(`cannot export ${where} to ONNX: unsupported layer`);
}

/** A deterministic, varied input for the reference pass (no random generator is touched). */
function probeInput(shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.sin(i * 0.7853) * 0.5 + 0.25;
  return tensor(values, shape);
}

function runStep(step: Step, x: Tensor): Tensor {
  return 'module' in step ? step.module.forward(x) : x.flatten(step.flattenFrom);
}

/**
 * Exports a network (SimpleConvNet, DeepConvNet, MultiLayerNet, a Sequential, or one layer) as an
 * ONNX model (opset 13) for inference: batch norm with its running statistics, dropout as at
 * inference (the book's style: a multiplication by 1 − p). An unsupported layer is refused by
 * its name in the model. The layers are checked against the network's own forward pass on a
 * probe input, so a graph that would compute something else is never written.
 *
 * @example
 * const bytes = exportOnnx(new SimpleConvNet()); // input 'input' [batch, 1, 28, 28] → 'logits'
 * writeFileSync('model.onnx', bytes);
 */
export function exportOnnx(module: Module, options: ExportOnnxOptions = {}): Uint8Array {
  const sampleShape =
    options.inputShape ?? (module instanceof Network ? module.inputShape : undefined);
  if (sampleShape === undefined) {
    throw new OnnxExportError(
      `exportOnnx: ${module.typeName} has no input shape of its own; pass options.inputShape (without the batch axis)`,
    );
  }
  if (!sampleShape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new OnnxExportError(`exportOnnx: bad input shape [${sampleShape.join(', ')}]`);
  }
  const steps = forwardSteps(module, '', sampleShape.length + 1);
  const graph = new GraphBuilder();
  const inputName = graph.unique(options.inputName ?? 'input');
  const last = steps[steps.length - 1];
  const outputBase =
    options.outputName ??
    (last && 'module' in last && last.module instanceof Softmax ? 'output' : 'logits');
  let outputShape: readonly number[] = [];

  const wasTraining = module.training;
  module.eval();
  try {
    noGrad(() => {
      const probe = probeInput([2, ...sampleShape]);
      let x = probe;
      let current = inputName;
      for (const step of steps) {
        const y = runStep(step, x);
        current = emitStep(graph, step, current, x.shape, y.shape);
        x = y;
      }
      // The steps must be the forward pass: same ops in the same order give the same bits.
      const expected = module.forward(probe).dataSync();
      const actual = x.dataSync();
      if (expected.length !== actual.length || expected.some((v, i) => !Object.is(v, actual[i]))) {
        throw new OnnxExportError(
          `cannot export ${module.typeName}: its forward pass is not the layer order this exporter knows`,
        );
      }
      outputShape = x.shape;
      // Name the graph's output: an Identity keeps the last node's own output name intact.
      graph.nodes.push({
        opType: 'Identity',
        name: graph.unique('output.Identity'),
        input: [current],
        output: [outputBase],
      });
    });
  } finally {
    module.train(wasTraining);
  }

  const valueInfo = (name: string, dims: readonly number[], batch = true) => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          // A batch merged into other axes by a Flatten leaves the first axis unnamed.
          dim: [batch ? { dimParam: 'batch' } : {}, ...dims.slice(1).map((d) => ({ dimValue: d }))],
        },
      },
    },
  });
  const config = module instanceof Network ? JSON.stringify(module.config) : undefined;
  const metadata = { ...options.metadata, ...(config ? { 'scratchnet.config': config } : {}) };
  const model: onnxProtoModule.onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'scratchnet',
    producerVersion: '0',
    docString: `${module.typeName} exported by scratchnet`,
    graph: {
      name: module.typeName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(inputName, [0, ...sampleShape])],
      output: [valueInfo(outputBase, outputShape, !graph.batchMerged)],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new OnnxExportError(`exportOnnx: invalid model (${problem})`);
  return onnx.ModelProto.encode(model).finish();
}
