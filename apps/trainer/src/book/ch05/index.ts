/** The book's chapter 5 scripts: Backpropagation. */
import type { BookChapter } from '../script.js';
import * as buyApple from './buy-apple.js';
import * as buyAppleOrange from './buy-apple-orange.js';
import * as gradientCheck from './gradient-check.js';
import * as layerNaive from './layer-naive.js';
import * as trainNeuralnet from './train-neuralnet.js';
import * as twoLayerNet from './two-layer-net.js';

export const ch05: BookChapter = {
  chapter: 'ch05',
  title: 'Backpropagation',
  scripts: [
    {
      name: 'layer-naive',
      section: '5.4',
      title: 'the multiplication and addition layers, MulLayer and AddLayer, forward and backward',
      run: layerNaive.run,
    },
    {
      name: 'buy-apple',
      section: '5.4.1',
      title: 'backpropagation through multiplication layers: apples and tax',
      run: buyApple.run,
    },
    {
      name: 'buy-apple-orange',
      section: '5.4.2',
      title: 'backpropagation through an addition layer: apples, oranges and tax',
      run: buyAppleOrange.run,
    },
    {
      name: 'two-layer-net',
      section: '5.7.2',
      title: 'TwoLayerNet from layers (Affine, Relu, SoftmaxWithLoss): its layers and gradients',
      run: twoLayerNet.run,
    },
    {
      name: 'gradient-check',
      section: '5.7.3',
      title: 'gradient check: backpropagation against numerical gradients on MNIST',
      run: gradientCheck.run,
    },
    {
      name: 'train-neuralnet',
      section: '5.7.4',
      title: 'the training of ch04/train-neuralnet with backpropagation and ReLU',
      run: trainNeuralnet.run,
    },
  ],
};
