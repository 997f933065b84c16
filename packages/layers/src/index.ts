/**
 * The book's layers as modules, in PyTorch's shape: {@link Module}, {@link Linear} (the book's
 * Affine), {@link Conv2d} (Convolution), {@link MaxPool2d} (Pooling), activations, {@link Dropout},
 * {@link BatchNorm1d}/{@link BatchNorm2d}, {@link Sequential}, the losses, weight initialisation,
 * and the book's networks: {@link TwoLayerNet} (chapters 4–5), {@link MultiLayerNet} and
 * {@link MultiLayerNetExtend} (chapter 6), {@link SimpleConvNet} (chapter 7), {@link DeepConvNet}
 * (chapter 8), plus {@link SequentialNet}, a network described by JSON layer specs.
 *
 * @module @scratchnet/layers
 */
export { Flatten, ReLU, Sigmoid, Softmax, Tanh } from './activations.js';
export type { BatchNormOptions } from './batch-norm.js';
export { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
export type { Conv2dLayerOptions } from './conv2d.js';
export { Conv2d } from './conv2d.js';
export type { DropoutStyle } from './dropout.js';
export { Dropout } from './dropout.js';
export { forwardWithActivations } from './forward-with-activations.js';
export type { Init, InitOptions } from './init.js';
export { heNormal, initBias, initWeight, normalInit, xavierNormal } from './init.js';
export type { LinearOptions } from './linear.js';
export { Linear } from './linear.js';
export {
  halfSumSquaredError,
  mseLoss,
  SoftmaxCrossEntropyLoss,
  softmaxCrossEntropy,
} from './losses.js';
export type { ForwardHook, HookHandle, StateDict } from './module.js';
export { Module } from './module.js';
export { AddLayer, MulLayer } from './naive-layers.js';
export type { LayerStep } from './networks/conv-relu.js';
export { createNetwork, networkArchitectures } from './networks/create-network.js';
export type { DeepConvNetOptions } from './networks/deep-conv-net.js';
export { DeepConvNet } from './networks/deep-conv-net.js';
export type {
  BatchNormSpec,
  Conv2dSpec,
  DropoutSpec,
  InferOptions,
  LayerShape,
  LayerSpec,
  LayerSpecType,
  LinearSpec,
  PlainLayerSpec,
  Pool2dSpec,
  SequentialLimits,
  SequentialShapes,
} from './networks/layer-specs.js';
export {
  inferSequentialShapes,
  layerSpecTypes,
  parseLayerSpecs,
  sequentialLimits,
} from './networks/layer-specs.js';
export type {
  MultiLayerNetExtendOptions,
  MultiLayerNetOptions,
} from './networks/multi-layer-net.js';
export { MultiLayerNet, MultiLayerNetExtend } from './networks/multi-layer-net.js';
export type { NetworkConfig } from './networks/network.js';
export { Network } from './networks/network.js';
export type { SequentialNetConfig, SequentialNetOptions } from './networks/sequential-net.js';
export { SequentialNet } from './networks/sequential-net.js';
export type { SimpleConvNetOptions } from './networks/simple-conv-net.js';
export { SimpleConvNet } from './networks/simple-conv-net.js';
export { NetworkConfigError, networkStateShapes } from './networks/state-shapes.js';
export type { ParameterGradients, TwoLayerNetOptions } from './networks/two-layer-net.js';
export { TwoLayerNet } from './networks/two-layer-net.js';
export { Parameter } from './parameter.js';
export { AvgPool2d, MaxPool2d } from './pooling.js';
export { Sequential } from './sequential.js';
