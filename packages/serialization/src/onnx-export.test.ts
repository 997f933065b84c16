import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@scratchnet/datasets/node';
import {
  AvgPool2d,
  BatchNorm2d,
  Conv2d,
  createNetwork,
  DeepConvNet,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  MultiLayerNet,
  Network,
  ReLU,
  Sequential,
  Sigmoid,
  SimpleConvNet,
  Softmax,
  Tanh,
} from '@scratchnet/layers';
import { manualSeed, noGrad, randn, type Tensor } from '@scratchnet/tensor';
import * as onnxProtoModule from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { importBookParams } from './book-params.js';
import { exportOnnx, ONNX_OPSET, OnnxExportError } from './onnx-export.js';

const onnxModule = onnxProtoModule as unknown as {
  onnx?: typeof onnxProtoModule.onnx;
  default?: { onnx: typeof onnxProtoModule.onnx };
};
const onnx = onnxModule.onnx ?? onnxModule.default!.onnx;

interface DecodedValueInfo {
  name: string;
  type?: { tensorType?: { shape?: { dim: { dimParam?: string; dimValue?: number }[] } } };
}

/** An exported model read back with protobuf.js, 64-bit integers as numbers. */
interface DecodedModel {
  opsetImport: { domain?: string; version: number }[];
  metadataProps: { key: string; value: string }[];
  graph: {
    input: DecodedValueInfo[];
    output: DecodedValueInfo[];
    node: { opType: string; attribute: { name: string; i?: number }[] }[];
    initializer: { name: string; dims: number[] }[];
  };
}

function decodeModel(bytes: Uint8Array): DecodedModel {
  const message = onnx.ModelProto.decode(bytes);
  return onnx.ModelProto.toObject(message, { longs: Number, arrays: true }) as DecodedModel;
}

// The book's trained parameters live beside the repository when present; otherwise the networks
// get He-initialised weights (logits of order 1, so that 1e-5 is a real bound).
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bookParamsDir = resolve(repoRoot, '../shared/book-params');

function bookOr(file: string, fallback: () => Network): Network {
  const path = resolve(bookParamsDir, file);
  return existsSync(path) ? importBookParams(readFileSync(path), { source: path }) : fallback();
}

/** Runs the exported model in onnxruntime on `x` and returns its only output. */
async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const inputName = session.inputNames[0]!;
    const feeds = { [inputName]: new ort.Tensor('float32', x.dataSync(), [...x.shape]) };
    const result = await session.run(feeds);
    return result[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function scratchnetOutput(module: Module, x: Tensor): Float32Array {
  module.eval();
  return noGrad(() => module.forward(x).dataSync());
}

function maxDeviation(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('exportOnnx runs in onnxruntime as in scratchnet (100 MNIST test images)', () => {
  let images: Tensor;
  beforeAll(() => {
    const { test } = loadMnist({ normalize: true, flatten: false });
    images = test.images.narrow(0, 0, 100);
  });

  it.each([
    [
      'SimpleConvNet',
      'simple_convnet_params_2016.pkl',
      () => new SimpleConvNet({ weightInitStd: 'he' }),
    ],
    ['DeepConvNet', 'deep_convnet_params.pkl', () => new DeepConvNet()],
  ])('%s: outputs within 1e-5', async (_, file, fallback) => {
    manualSeed(3);
    const network = bookOr(file, fallback);
    const bytes = exportOnnx(network);
    const expected = scratchnetOutput(network, images);
    const actual = await runOnnx(bytes, images);
    const deviation = maxDeviation(expected, actual);
    const scale = Math.max(...expected.map(Math.abs));
    console.log(
      `${network.typeName}: ${bytes.length} bytes of ONNX, max |onnxruntime − scratchnet| = ${deviation.toExponential(3)} over 100×10 logits (largest |logit| ${scale.toFixed(2)})`,
    );
    expect(scale).toBeGreaterThan(0.5);
    expect(deviation).toBeLessThan(1e-5);
  });

  it('MultiLayerNet with batch norm, sigmoid and the book’s dropout, fed flat or as images', async () => {
    manualSeed(4);
    const network = new MultiLayerNet({
      hiddenSizeList: [40, 30],
      activation: 'sigmoid',
      useBatchnorm: true,
      useDropout: true,
      dropoutRatio: 0.3,
      weightInitStd: 'he',
    });
    // Give the batch norms running statistics of their own, not the initial 0 and 1.
    network.train();
    noGrad(() => network.forward(images.flatten(1)));
    const flat = images.flatten(1);
    expect(
      maxDeviation(scratchnetOutput(network, flat), await runOnnx(exportOnnx(network), flat)),
    ).toBeLessThan(1e-5);
    const asImages = exportOnnx(network, { inputShape: [1, 28, 28] });
    expect(
      maxDeviation(scratchnetOutput(network, images), await runOnnx(asImages, images)),
    ).toBeLessThan(1e-5);
  });

  it('a SequentialNet from layer specs (as the playground builds), under its spec names', async () => {
    manualSeed(6);
    const network = createNetwork({
      architecture: 'sequential',
      inputShape: [1, 28, 28],
      layers: [
        { type: 'conv2d', name: 'conv1', outChannels: 6, kernelSize: 3, padding: 1, init: 'he' },
        { type: 'batchNorm', name: 'bn1' },
        { type: 'relu' },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'dropout', p: 0.25 },
        { type: 'flatten' },
        { type: 'linear', name: 'fc1', outFeatures: 32, init: 'he' },
        { type: 'tanh' },
        { type: 'linear', name: 'fc2', outFeatures: 10 },
      ],
    });
    network.train();
    noGrad(() => network.forward(images));
    const bytes = exportOnnx(network);
    expect(decodeModel(bytes).graph.initializer.map((t) => t.name)).toContain('bn1.running_mean');
    expect(
      maxDeviation(scratchnetOutput(network, images), await runOnnx(bytes, images)),
    ).toBeLessThan(1e-5);
  });

  it('a Sequential of every supported layer (average pooling counts the padding)', async () => {
    manualSeed(5);
    const model = new Sequential(
      new Conv2d(1, 4, 3, { stride: 2, padding: 1, init: 'he' }),
      new BatchNorm2d(4),
      new Tanh(),
      new AvgPool2d(3, 2, 1),
      new MaxPool2d(2, 1, 1),
      new Flatten(),
      new Linear(4 * 8 * 8, 16, { init: 'he' }),
      new Sigmoid(),
      new Dropout(0.25, 'inverted'),
      new Dropout(0.5, 'book'),
      new ReLU(),
      new Linear(16, 10, { bias: false, init: 'he' }),
      new Softmax(),
    );
    model.train();
    noGrad(() => model.forward(images));
    const bytes = exportOnnx(model, { inputShape: [1, 28, 28] });
    expect(
      maxDeviation(scratchnetOutput(model, images), await runOnnx(bytes, images)),
    ).toBeLessThan(1e-6);
    const decoded = decodeModel(bytes);
    expect(decoded.graph.output[0]?.name).toBe('output');
    const ops = decoded.graph.node.map((n) => n.opType);
    expect(ops).toEqual([
      'Conv',
      'BatchNormalization',
      'Tanh',
      'AveragePool',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Sigmoid',
      'Identity',
      'Mul',
      'Relu',
      'Gemm',
      'Softmax',
      'Identity',
    ]);
  });

  it('a Flatten of other axes becomes a Reshape', async () => {
    const model = new Sequential(new Flatten(0, 2));
    const x = randn([3, 2, 4, 5]);
    const bytes = exportOnnx(model, { inputShape: [2, 4, 5] });
    const { graph } = decodeModel(bytes);
    expect(graph.node[0]?.opType).toBe('Reshape');
    // The batch is merged into the first axis: no longer the symbolic `batch`.
    expect(
      graph.output[0]?.type?.tensorType?.shape?.dim.map((d) => d.dimParam ?? d.dimValue),
    ).toEqual([undefined, 5]);
    expect(maxDeviation(scratchnetOutput(model, x), await runOnnx(bytes, x))).toBe(0);
  });
});

describe('exportOnnx writes a well-formed model', () => {
  it('opset 13, a symbolic batch axis, initializers under the state-dict names', () => {
    manualSeed(1);
    const network = new SimpleConvNet();
    const model = decodeModel(exportOnnx(network));
    expect(Number(model.opsetImport[0]?.version)).toBe(ONNX_OPSET);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    const { graph } = model;
    expect(graph.input[0]?.name).toBe('input');
    expect(
      graph.input[0]?.type?.tensorType?.shape?.dim.map((d) => d.dimParam || Number(d.dimValue)),
    ).toEqual(['batch', 1, 28, 28]);
    expect(
      graph.output[0]?.type?.tensorType?.shape?.dim.map((d) => d.dimParam || Number(d.dimValue)),
    ).toEqual(['batch', 10]);
    expect(graph.initializer.map((t) => t.name).sort()).toEqual(
      Object.keys(network.stateDict()).sort(),
    );
    const weight = graph.initializer.find((t) => t.name === 'fc1.weight')!;
    expect(weight.dims.map(Number)).toEqual([100, 4320]);
    const gemm = graph.node.find((n) => n.opType === 'Gemm')!;
    expect(Number(gemm.attribute.find((a) => a.name === 'transB')?.i)).toBe(1);
    expect(model.metadataProps.find((p) => p.key === 'scratchnet.config')?.value).toContain(
      'simple-convnet',
    );
  });

  it('leaves the network in the mode it was in', () => {
    const network = new MultiLayerNet({ hiddenSizeList: [5], inputSize: 4, outputSize: 3 });
    network.train();
    exportOnnx(network);
    expect(network.training).toBe(true);
  });
});

describe('exportOnnx refuses what it cannot write', () => {
  class Swish extends ReLU {
    override forward(x: Tensor): Tensor {
      return x.mul(x.sigmoid());
    }
  }
  class Wrapper extends Network {
    readonly config = { architecture: 'wrapper' };
    readonly inputShape = [4];
    readonly fc = new Linear(4, 2);
    forward(x: Tensor): Tensor {
      return this.fc.forward(x);
    }
  }

  it('names an unsupported layer by its place in the model and its type', () => {
    expect(() =>
      exportOnnx(new Sequential(new Linear(4, 3), new Sequential(new ReLU(), new Swish())), {
        inputShape: [4],
      }),
    ).toThrow('cannot export 1.1 (Swish) to ONNX: unsupported layer (supported: Conv2d, ReLU,');
    expect(() => exportOnnx(new Wrapper())).toThrow(
      /^cannot export Wrapper to ONNX: unsupported layer/,
    );
    expect(() => exportOnnx(new Sequential(new Wrapper()), { inputShape: [4] })).toThrow(
      OnnxExportError,
    );
  });

  it('refuses a Linear on an input that is not [batch, features]', () => {
    expect(() => exportOnnx(new Sequential(new Linear(5, 2)), { inputShape: [3, 5] })).toThrow(
      'cannot export 0 (Linear): ONNX Gemm needs a [batch, features] input',
    );
  });

  it('needs an input shape for a bare Sequential', () => {
    expect(() => exportOnnx(new Sequential(new ReLU()))).toThrow(/pass options.inputShape/);
  });
});
