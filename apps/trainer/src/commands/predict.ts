import { noGrad, scope, softmax, type Tensor } from '@scratchnet/tensor';
import { Command } from 'commander';
import { readMnistInput } from '../image-input.js';
import type { DatasetName } from '../training/choices.js';
import { loadTrainingData } from '../training/data.js';
import { dataDirOption, datasetOption, readModelFile } from './common.js';

interface PredictOptions {
  dataset: DatasetName;
  dataDir?: string;
  json: boolean;
}

/**
 * `scratchnet predict MODEL_FILE INPUT`: class probabilities for a PNG/JPEG image (prepared as
 * MNIST was: grey, inverted if light, fitted into 20×20 and centred by centre of mass in 28×28) or
 * for a test-set image given by its index.
 */
export function predictCommand(): Command {
  return new Command('predict')
    .description('class probabilities for an image file or a test-set index')
    .argument('<model-file>', 'a model file')
    .argument('<input>', 'a PNG or JPEG image of one digit, or the index of a test image (e.g. 0)')
    .addOption(datasetOption())
    .addOption(dataDirOption())
    .option('--json', 'print the result as JSON', false)
    .action(async (modelFile: string, input: string, options: PredictOptions) => {
      const { network } = readModelFile(modelFile);
      let x: Tensor;
      let trueLabel: number | undefined;
      let classNames: readonly string[] = Array.from({ length: 10 }, (_, i) => String(i));
      if (/^-?\d+$/.test(input)) {
        const data = loadTrainingData(options);
        const index = Number(input);
        if (index < 0 || index >= data.test.length) {
          throw new Error(
            `test index ${index} is out of range: the test set has ${data.test.length} images (0 to ${data.test.length - 1})`,
          );
        }
        const batch = data.test.batch([index]);
        x = batch.x;
        trueLabel = batch.labels[0];
        classNames = data.classNames;
      } else {
        x = (await readMnistInput(input)).tensor;
      }
      const image = x;
      const probabilities = noGrad(() =>
        scope(() => Array.from(softmax(network.eval().forward(image)).dataSync())),
      );
      const best = probabilities.indexOf(Math.max(...probabilities));
      if (options.json) {
        console.log(JSON.stringify({ input, prediction: best, probabilities, trueLabel }));
        return;
      }
      probabilities.forEach((p, c) => {
        const bar = '█'.repeat(Math.round(p * 40));
        console.log(`${classNames[c]!.padEnd(12)} ${(p * 100).toFixed(2).padStart(6)}%  ${bar}`);
      });
      console.log(
        `prediction: ${classNames[best]}${trueLabel === undefined ? '' : ` (true: ${classNames[trueLabel]})`}`,
      );
    });
}
