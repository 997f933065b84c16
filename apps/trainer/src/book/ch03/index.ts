/** The book's chapter 3 scripts: Neural Networks. */
import type { BookChapter } from '../script.js';
import * as mnistShow from './mnist-show.js';
import * as neuralnetMnist from './neuralnet-mnist.js';
import * as neuralnetMnistBatch from './neuralnet-mnist-batch.js';
import * as relu from './relu.js';
import * as sigStepCompare from './sig-step-compare.js';
import * as sigmoid from './sigmoid.js';
import * as stepFunction from './step-function.js';

export const ch03: BookChapter = {
  chapter: 'ch03',
  title: 'Neural Networks',
  scripts: [
    {
      name: 'step-function',
      section: '3.2.3',
      title: 'the graph of the step function (figure 3-6)',
      figures: { 'step_function.png': '3-6' },
      run: stepFunction.run,
    },
    {
      name: 'sigmoid',
      section: '3.2.4',
      title: 'the graph of the sigmoid function (figure 3-7)',
      figures: { 'sigmoid.png': '3-7' },
      run: sigmoid.run,
    },
    {
      name: 'sig-step-compare',
      section: '3.2.5',
      title: 'the sigmoid and the step function side by side (figure 3-8)',
      figures: { 'sig_step_compare.png': '3-8' },
      run: sigStepCompare.run,
    },
    {
      name: 'relu',
      section: '3.2.7',
      title: 'the graph of ReLU (figure 3-9)',
      figures: { 'relu.png': '3-9' },
      run: relu.run,
    },
    {
      name: 'mnist-show',
      section: '3.6.1',
      title: 'the first MNIST training image, its label and shape',
      figures: { 'mnist_show.png': '3-25' },
      run: mnistShow.run,
    },
    {
      name: 'neuralnet-mnist',
      section: '3.6.2',
      title: 'inference with the book’s trained network (sample_weight.pkl), image by image',
      run: neuralnetMnist.run,
    },
    {
      name: 'neuralnet-mnist-batch',
      section: '3.6.3',
      title: 'the same inference in batches of 100',
      run: neuralnetMnistBatch.run,
    },
  ],
};
