/** The book's chapter 5 scripts: Backpropagation. */
import type { BookChapter } from '../script.js';
import * as buyApple from './buy-apple.js';
import * as buyAppleOrange from './buy-apple-orange.js';
import * as gradientCheck from './gradient-check.js';

export const ch05: BookChapter = {
  chapter: 'ch05',
  title: 'Backpropagation',
  scripts: [
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
      name: 'gradient-check',
      section: '5.7.3',
      title: 'gradient check: backpropagation against numerical gradients on MNIST',
      run: gradientCheck.run,
    },
  ],
};
