/** The book's chapter 8 scripts: Deep Learning. */
import type { BookChapter } from '../script.js';
import * as awesomeNet from './awesome-net.js';
import * as deepConvnet from './deep-convnet.js';
import * as halfFloatNetwork from './half-float-network.js';
import * as misclassifiedMnist from './misclassified-mnist.js';
import * as trainDeepnet from './train-deepnet.js';

export const ch08: BookChapter = {
  chapter: 'ch08',
  title: 'Deep Learning',
  scripts: [
    {
      name: 'deep-convnet',
      section: '8.1.1',
      title: 'DeepConvNet: six 3×3 convolutions, dropout, its parameters and layers',
      run: deepConvnet.run,
    },
    {
      name: 'train-deepnet',
      section: '8.1.1',
      title: 'training DeepConvNet on MNIST with Adam, 20 epochs',
      run: trainDeepnet.run,
    },
    {
      name: 'misclassified-mnist',
      section: '8.1.1',
      title: "the book's DeepConvNet: test accuracy and the misclassified digits (figure 8-2)",
      figures: { 'misclassified_mnist.png': '8-2' },
      run: misclassifiedMnist.run,
    },
    {
      name: 'awesome-net',
      section: '8.1.2',
      title: "the book's empty placeholder: create your awesome net",
      run: awesomeNet.run,
    },
    {
      name: 'half-float-network',
      section: '8.3.4',
      title: "the book's DeepConvNet with its parameters and inputs cast to float16",
      run: halfFloatNetwork.run,
    },
  ],
};
