/** The book's chapter 4 scripts: Neural network training. */
import type { BookChapter } from '../script.js';
import * as gradient1d from './gradient-1d.js';
import * as gradient2d from './gradient-2d.js';
import * as gradientMethod from './gradient-method.js';
import * as gradientSimplenet from './gradient-simplenet.js';
import * as trainNeuralnet from './train-neuralnet.js';
import * as twoLayerNet from './two-layer-net.js';

export const ch04: BookChapter = {
  chapter: 'ch04',
  title: 'Neural network training',
  scripts: [
    {
      name: 'gradient-1d',
      section: '4.3.2',
      title: 'numerical differentiation of 0.01x² + 0.1x and its tangent line (figure 4-7)',
      figures: { 'gradient_1d.png': '4-7' },
      run: gradient1d.run,
    },
    {
      name: 'gradient-2d',
      section: '4.4',
      title: 'the gradient of x0² + x1², drawn as arrows on a grid (figure 4-9)',
      figures: { 'gradient_2d.png': '4-9' },
      run: gradient2d.run,
    },
    {
      name: 'gradient-method',
      section: '4.4.1',
      title: 'gradient descent on x0² + x1² from (−3, 4) and its path (figure 4-10)',
      figures: { 'gradient_method.png': '4-10' },
      run: gradientMethod.run,
    },
    {
      name: 'gradient-simplenet',
      section: '4.4.2',
      title: 'the gradient of a loss with respect to the weights of a 2×3 net',
      run: gradientSimplenet.run,
    },
    {
      name: 'two-layer-net',
      section: '4.5.1',
      title: 'TwoLayerNet: its parameter shapes, a prediction and the numerical gradient',
      run: twoLayerNet.run,
    },
    {
      name: 'train-neuralnet',
      section: '4.5.2',
      title: 'mini-batch training of TwoLayerNet on MNIST: train and test accuracy (figure 4-12)',
      figures: { 'train_neuralnet.png': '4-12' },
      run: trainNeuralnet.run,
    },
  ],
};
