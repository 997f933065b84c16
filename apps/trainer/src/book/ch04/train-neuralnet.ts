/**
 * `ch04/train_neuralnet.py` (section 4.5.2–4.5.3, figure 4-12): mini-batch training of the
 * 784-50-10 TwoLayerNet on MNIST: 10,000 steps of 100 images drawn at random (with replacement,
 * as `np.random.choice`), plain gradient descent with learning rate 0.1, and after every epoch
 * (600 steps) the accuracy on all 60,000 training and 10,000 test images. Training and test
 * accuracy rise together: no overfitting.
 *
 * The book's chapter-4 net uses sigmoid; `ch05/train-neuralnet` runs the same loop on
 * chapter 5's ReLU net. The book's loop calls `network.gradient` (chapter 5's backpropagation);
 * its comment names `numerical_gradient`, which would take hours here as there.
 */
import { loadMnist } from '@scratchnet/datasets/node';
import { TwoLayerNet } from '@scratchnet/layers';
import { SGD } from '@scratchnet/optimizers';
import { manualSeed } from '@scratchnet/tensor';
import { evaluate, Trainer } from '@scratchnet/training';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';
import {
  arange,
  PLOT_COLORS,
  type PlotContents,
  type PlotOptions,
  renderPlot,
} from '../figures.js';

export interface TrainNeuralnetResult {
  trainAcc: number[];
  testAcc: number[];
}

/**
 * The training loop both chapters' `train_neuralnet.py` share; `printAccuracies` prints one
 * line per evaluation in the chapter's format.
 */
export async function trainNeuralnet(
  ctx: BookContext,
  activation: 'sigmoid' | 'relu',
  printAccuracies: (trainAcc: number, testAcc: number) => void,
): Promise<TrainNeuralnetResult> {
  const { train, test } = loadMnist({ normalize: true, oneHotLabel: true });
  manualSeed(0);
  const network = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, activation });

  // --quick: 3,000 training and 1,000 test images, 300 steps; the book's sizes otherwise.
  const trainData = ctx.quick ? train.dataset.subset(range(3000)) : train.dataset;
  const testData = ctx.quick ? test.dataset.subset(range(1000)) : test.dataset;
  const itersNum = ctx.quick ? 300 : 10000;
  const batchSize = 100;
  const learningRate = 0.1;
  const iterPerEpoch = Math.max(trainData.length / batchSize, 1);

  const result: TrainNeuralnetResult = { trainAcc: [], testAcc: [] };
  const record = (trainAcc: number, testAcc: number) => {
    result.trainAcc.push(trainAcc);
    result.testAcc.push(testAcc);
    printAccuracies(trainAcc, testAcc);
  };
  const trainer: Trainer = new Trainer(network, trainData, {
    optimizer: new SGD(network.parameters(), { lr: learningRate }),
    epochs: Math.ceil(itersNum / iterPerEpoch),
    batchSize,
    sampling: 'replacement', // batch_mask = np.random.choice(train_size, batch_size)
    test: testData,
    trainEvalSamples: trainData.length, // network.accuracy(x_train, t_train): all of them
    callbacks: {
      onStepEnd: async ({ step }) => {
        // The book also measures once after its first step (i = 0).
        if (step === 1) {
          const trainAcc = (await evaluate(network, trainData)).accuracy;
          record(trainAcc, (await evaluate(network, testData)).accuracy);
        }
        if (step === itersNum) trainer.stop();
      },
      onEpochEnd: ({ trainAccuracy, testAccuracy }) => record(trainAccuracy!, testAccuracy!),
    },
  });
  await trainer.fit();
  return result;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Figure 4-12 as the book's script draws it: `plt.plot(x, train_acc_list, label='train acc')`,
 * `plt.plot(x, test_acc_list, label='test acc', linestyle='--')` — the test curve dashed, so
 * that the two (which lie almost on each other) both show — `plt.ylim(0, 1.0)` and
 * `plt.legend(loc='lower right')`.
 */
export function trainNeuralnetFigure(
  trainAcc: readonly number[],
  testAcc: readonly number[],
): { options: PlotOptions; contents: PlotContents } {
  const last = Math.max(1, trainAcc.length - 1); // x = np.arange(len(train_acc_list))
  return {
    options: {
      title: 'TwoLayerNet on MNIST: accuracy',
      xLabel: 'epochs',
      yLabel: 'accuracy',
      xlim: [0, last],
      ylim: [0, 1],
      xTicks: arange(0, last + 1e-9, Math.max(1, Math.ceil(last / 8))), // at most 9 ticks
      yTicks: arange(0, 1.0001, 0.2),
      legend: 'lower right',
      width: 720,
      height: 520,
    },
    contents: {
      lines: [
        {
          points: trainAcc.map((a, i) => [i, a] as const),
          color: PLOT_COLORS[0]!,
          label: 'train acc',
        },
        {
          points: testAcc.map((a, i) => [i, a] as const),
          color: PLOT_COLORS[1]!,
          dashed: true, // linestyle='--'
          label: 'test acc',
        },
      ],
    },
  };
}

export async function run(ctx: BookContext): Promise<void> {
  const { trainAcc, testAcc } = await trainNeuralnet(ctx, 'sigmoid', (trainAcc, testAcc) =>
    ctx.print(`train acc, test acc | ${pyFloat(trainAcc)}, ${pyFloat(testAcc)}`),
  );
  const { options, contents } = trainNeuralnetFigure(trainAcc, testAcc);
  ctx.savePicture('train_neuralnet.png', renderPlot(options, contents));
}
