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
import { renderLineChart } from '../../charts.js';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

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

export async function run(ctx: BookContext): Promise<void> {
  const { trainAcc, testAcc } = await trainNeuralnet(ctx, 'sigmoid', (trainAcc, testAcc) =>
    ctx.print(`train acc, test acc | ${pyFloat(trainAcc)}, ${pyFloat(testAcc)}`),
  );
  ctx.savePicture(
    'train_neuralnet.png',
    await renderLineChart({
      title: 'TwoLayerNet on MNIST: accuracy after each epoch',
      xLabel: 'epochs',
      yLabel: 'accuracy',
      series: [
        { name: 'train acc', points: trainAcc.map((a, i) => [i, a] as const) },
        { name: 'test acc', points: testAcc.map((a, i) => [i, a] as const) },
      ],
    }),
  );
}
