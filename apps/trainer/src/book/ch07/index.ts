/** The book's chapter 7 scripts: Convolutional Neural Networks. */
import type { BookChapter } from '../script.js';
import * as applyFilter from './apply-filter.js';
import * as gradientCheck from './gradient-check.js';
import * as simpleConvnet from './simple-convnet.js';
import * as trainConvnet from './train-convnet.js';
import * as visualizeFilter from './visualize-filter.js';

export const ch07: BookChapter = {
  chapter: 'ch07',
  title: 'Convolutional Neural Networks',
  scripts: [
    {
      name: 'simple-convnet',
      section: '7.5',
      title:
        'SimpleConvNet: conv - relu - pool - affine - relu - affine, its parameters and layers',
      run: simpleConvnet.run,
    },
    {
      name: 'gradient-check',
      section: '7.5',
      title: "gradient check: SimpleConvNet's backpropagation against numerical gradients",
      run: gradientCheck.run,
    },
    {
      name: 'train-convnet',
      section: '7.5',
      title: 'training SimpleConvNet on MNIST with Adam, 20 epochs, and its accuracy curves',
      figures: { 'train_convnet.png': '' },
      run: trainConvnet.run,
    },
    {
      name: 'visualize-filter',
      section: '7.6.1',
      title: 'the 30 first-layer filters before and after training (figure 7-24)',
      figures: { 'filters_before.png': '7-24', 'filters_after.png': '7-24' },
      run: visualizeFilter.run,
    },
    {
      name: 'apply-filter',
      section: '7.6.1',
      title: 'first-layer filters applied to an image: their edge and blob responses (figure 7-25)',
      figures: {
        'apply_filter_filters.png': '',
        'apply_filter_image.png': '',
        'apply_filter.png': '7-25',
      },
      run: applyFilter.run,
    },
  ],
};
