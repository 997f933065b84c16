/** The book's chapter 6 scripts: Training Techniques. */
import type { BookChapter } from '../script.js';
import * as batchNormGradientCheck from './batch-norm-gradient-check.js';
import * as batchNormTest from './batch-norm-test.js';
import * as hyperparameterOptimization from './hyperparameter-optimization.js';
import * as optimizerCompareMnist from './optimizer-compare-mnist.js';
import * as optimizerCompareNaive from './optimizer-compare-naive.js';
import * as overfitDropout from './overfit-dropout.js';
import * as overfitWeightDecay from './overfit-weight-decay.js';
import * as weightInitActivationHistogram from './weight-init-activation-histogram.js';
import * as weightInitCompare from './weight-init-compare.js';

export const ch06: BookChapter = {
  chapter: 'ch06',
  title: 'Training Techniques',
  scripts: [
    {
      name: 'optimizer-compare-naive',
      section: '6.1.7',
      title: 'SGD, Momentum, AdaGrad and Adam on x²/20 + y² from (−7, 2) (figure 6-8)',
      figures: { 'optimizer_compare_naive.png': '6-8' },
      run: optimizerCompareNaive.run,
    },
    {
      name: 'optimizer-compare-mnist',
      section: '6.1.8',
      title: 'the four optimizers training a 5-layer MLP on MNIST, 2000 iterations (figure 6-9)',
      figures: { 'optimizer_compare_mnist.png': '6-9' },
      run: optimizerCompareMnist.run,
    },
    {
      name: 'weight-init-activation-histogram',
      section: '6.2.2',
      title:
        'histograms of five layers’ activations by initial weights: sigmoid, tanh, ReLU (figures 6-10, 6-11, 6-13, 6-14)',
      figures: {
        'histogram_sigmoid_std_1.png': '6-10',
        'histogram_sigmoid_std_0.01.png': '6-11',
        'histogram_sigmoid_xavier.png': '6-13',
        'histogram_tanh_xavier.png': '',
        'histogram_relu.png': '6-14',
      },
      run: weightInitActivationHistogram.run,
    },
    {
      name: 'weight-init-compare',
      section: '6.2.4',
      title: 'std 0.01, Xavier and He initial weights training on MNIST (figure 6-15)',
      figures: { 'weight_init_compare.png': '6-15' },
      run: weightInitCompare.run,
    },
    {
      name: 'batch-norm-test',
      section: '6.3.2',
      title: 'training with and without batch normalization at 16 weight scales (figure 6-19)',
      figures: { 'batch_norm_test.png': '6-19' },
      run: batchNormTest.run,
    },
    {
      name: 'batch-norm-gradient-check',
      section: '6.3',
      title: 'gradient check of a network with batch normalization',
      run: batchNormGradientCheck.run,
    },
    {
      name: 'overfit-weight-decay',
      section: '6.4.2',
      title: 'overfitting 300 images, without and with weight decay (figures 6-20, 6-21)',
      figures: { 'overfit_no_weight_decay.png': '6-20', 'overfit_weight_decay.png': '6-21' },
      run: overfitWeightDecay.run,
    },
    {
      name: 'overfit-dropout',
      section: '6.4.3',
      title: 'overfitting 300 images with dropout, by the book’s Trainer (figure 6-23)',
      figures: { 'overfit_dropout.png': '6-23' },
      run: overfitDropout.run,
    },
    {
      name: 'hyperparameter-optimization',
      section: '6.5.3',
      title: 'random search of learning rate and weight decay on validation data (figure 6-24)',
      figures: { 'hyperparameter_optimization.png': '6-24' },
      run: hyperparameterOptimization.run,
    },
  ],
};
