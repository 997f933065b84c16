import { evaluate, formatConfusion, formatPercent } from '@scratchnet/training';
import { Command } from 'commander';
import type { DatasetName } from '../training/choices.js';
import { loadTrainingData } from '../training/data.js';
import { dataDirOption, datasetOption, readModelFile } from './common.js';
import { integer } from './parse.js';

interface EvalOptions {
  dataset: DatasetName;
  dataDir?: string;
  testLimit?: number;
  batchSize: number;
  json: boolean;
}

/** `scratchnet eval MODEL_FILE`: accuracy, loss, per-class accuracy and confusion matrix. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('evaluate a model file on the test set')
    .argument('<model-file>', 'a model file written by `scratchnet train` or `import-book`')
    .addOption(datasetOption())
    .addOption(dataDirOption())
    .option('--test-limit <n>', 'use only the first N test images', integer(1))
    .option('--batch-size <n>', 'images per forward pass', integer(1), 500)
    .option('--json', 'print the results as one JSON object', false)
    .action(async (modelFile: string, options: EvalOptions) => {
      const { network } = readModelFile(modelFile);
      const data = loadTrainingData(options);
      const result = await evaluate(network, data.test, {
        numClasses: data.classNames.length,
        batchSize: options.batchSize,
      });
      if (options.json) {
        const { predictions: _p, confidences: _c, ...summary } = result;
        console.log(JSON.stringify(summary));
        return;
      }
      console.log(`test accuracy: ${formatPercent(result.accuracy)}`);
      console.log(`test loss: ${result.loss.toFixed(4)} (${result.samples} images)`);
      console.log('\nper-class accuracy:');
      result.perClassAccuracy.forEach((accuracy, c) => {
        console.log(`  ${data.classNames[c]!.padEnd(12)} ${formatPercent(accuracy)}`);
      });
      console.log(
        `\nconfusion matrix (rows: true class, columns: predicted):\n${formatConfusion(result.confusion)}`,
      );
    });
}
