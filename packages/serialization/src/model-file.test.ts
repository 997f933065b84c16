import {
  DeepConvNet,
  Linear,
  MultiLayerNet,
  type Network,
  SimpleConvNet,
} from '@scratchnet/layers';
import { manualSeed, randn } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { loadModel, loadModelWithMetadata, saveModel } from './model-file.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';

describe('model files', () => {
  it('refuses a module without a network config, saying what a model file needs', () => {
    expect(() => saveModel(new Linear(3, 2) as unknown as Network)).toThrow(
      'saveModel: Linear is not a network with a config (architecture and options), which a model file needs to rebuild it; save a Network (a SequentialNet from layer specs, createNetwork, …), or its bare weights with tensorsToSafetensors(module.stateDict())',
    );
  });

  it('rebuild the same architecture with identical outputs', () => {
    manualSeed(5);
    const x = randn([2, 1, 28, 28]);
    for (const network of [
      new SimpleConvNet({ hiddenSize: 12 }),
      new DeepConvNet(),
      new MultiLayerNet({ useBatchnorm: true }),
    ]) {
      network.eval();
      const loaded = loadModel(saveModel(network));
      expect(loaded.constructor).toBe(network.constructor);
      expect(loaded.config).toEqual(network.config);
      expect(loaded.forward(x).dataSync()).toEqual(network.forward(x).dataSync());
    }
  });

  it('store PyTorch state-dict names and layouts, the config and extra metadata', () => {
    const bytes = saveModel(new SimpleConvNet(), { metadata: { dataset: 'mnist' } });
    const file = decodeSafetensors(bytes);
    expect(Object.fromEntries(Object.entries(file.tensors).map(([k, v]) => [k, v.shape]))).toEqual({
      'conv1.weight': [30, 1, 5, 5],
      'conv1.bias': [30],
      'fc1.weight': [100, 4320],
      'fc1.bias': [100],
      'fc2.weight': [10, 100],
      'fc2.bias': [10],
    });
    expect(file.metadata.format).toBe('pt');
    expect(JSON.parse(file.metadata['scratchnet.config']!)).toMatchObject({
      architecture: 'simple-convnet',
      filterNum: 30,
    });
    expect(loadModelWithMetadata(bytes).metadata.dataset).toBe('mnist');
  });

  it('refuse files that are not scratchnet models, naming the file and the problem', () => {
    const plain = encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } });
    expect(() => loadModel(plain, { source: 'plain.safetensors' })).toThrow(
      /plain\.safetensors: no "scratchnet.config" metadata/,
    );
    const wrongShape = encodeSafetensors(
      { 'conv1.weight': { dtype: 'F32', shape: [1], data: Float32Array.of(1) } },
      { 'scratchnet.config': JSON.stringify({ architecture: 'simple-convnet' }) },
    );
    expect(() => loadModel(wrongShape, { source: 'bad.safetensors' })).toThrow(SafetensorsError);
    expect(() => loadModel(wrongShape, { source: 'bad.safetensors' })).toThrow(
      /bad\.safetensors: .*tensor "conv1\.weight" has shape \[1\], but the config's simple-convnet expects \[30, 1, 5, 5\]/,
    );
    // A config claiming a huge network is refused before the network is built.
    const huge = encodeSafetensors(
      { 'fc1.weight': { dtype: 'F32', shape: [1, 1], data: Float32Array.of(1) } },
      {
        'scratchnet.config': JSON.stringify({
          architecture: 'mlp',
          inputSize: 2 ** 40,
          hiddenSizeList: [2 ** 40],
        }),
      },
    );
    expect(() => loadModel(huge, { source: 'huge' })).toThrow(
      /huge: tensor "fc1.weight" has shape \[1, 1\], but the config's mlp expects \[1099511627776, 1099511627776\]; missing tensor "fc1.bias" \(shape \[1099511627776\]\)/,
    );
    const badOption = encodeSafetensors(
      {},
      { 'scratchnet.config': JSON.stringify({ architecture: 'mlp', hiddenSizeList: [1e300] }) },
    );
    expect(() => loadModel(badOption, { source: 'b' })).toThrow(
      /b: "scratchnet.config": mlp: option hiddenSizeList is \[1e\+300\]/,
    );
    const badJson = encodeSafetensors({}, { 'scratchnet.config': '{nope' });
    expect(() => loadModel(badJson, { source: 'x' })).toThrow(
      /x: "scratchnet.config" is not valid JSON/,
    );
  });
});
