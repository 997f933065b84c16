import { formatPercent, lrScheduleTypes } from '@scratchnet/training';
import { Command, Option } from 'commander';
import { type BackendName, backendNames, defaultThreads, useBackend } from '../training/backend.js';
import { datasetNames, modelNames, optimizerNames } from '../training/choices.js';
import { ConsoleReporter } from '../training/reporter.js';
import { runTraining, type TrainOptions } from '../training/run-training.js';
import { integer, nonNegative, positive } from './parse.js';

/**
 * `scratchnet train`: the book's `ch07/train_convnet.py` by default — SimpleConvNet on MNIST, Adam
 * with lr 0.001, batch 100 — on the wasm backend with both cores, for as many epochs as end in a
 * few minutes; `--epochs 20` is the book's full run.
 */
export function trainCommand(): Command {
  return new Command('train')
    .description('train a network on MNIST (embedded, no download) or Fashion-MNIST')
    .addOption(
      new Option('--model <name>', 'network').choices(modelNames).default('simple-convnet'),
    )
    .option(
      '--spec <file>',
      'train the network a JSON description gives instead: {"inputShape": [1, 28, 28], "layers": [...]}',
    )
    .addOption(new Option('--dataset <name>', 'dataset').choices(datasetNames).default('mnist'))
    .option(
      '--data-dir <dir>',
      'directory of the IDX files (Fashion-MNIST default: /usr/share/datasets/fashion-mnist)',
    )
    .option(
      '--epochs <n>',
      'passes over the training set (the book: 20; 8 take about 2½ minutes on 2 cores)',
      integer(1),
      8,
    )
    .option('--batch-size <n>', 'images per step', integer(1), 100)
    .addOption(
      new Option('--optimizer <name>', 'update rule').choices(optimizerNames).default('adam'),
    )
    .option(
      '--lr <rate>',
      'learning rate (default: the book’s, 0.001 for Adam/AdamW, 0.01 otherwise)',
      positive,
    )
    .option('--weight-decay <lambda>', 'L2 weight decay λ (decoupled for AdamW)', nonNegative, 0)
    .option('--seed <n>', 'random seed: the same seed gives the same run', integer(0), 1)
    .option(
      '-o, --out <dir>',
      'directory for the model, checkpoint, metrics and pictures',
      'runs/latest',
    )
    .option('--resume', 'continue from the checkpoint in --out', false)
    .option(
      '--overwrite',
      'delete the run already in --out and start over (without it such a folder is refused; the default folder is moved aside instead)',
      false,
    )
    .option('--train-limit <n>', 'use only the first N training images', integer(1))
    .option('--test-limit <n>', 'use only the first N test images', integer(1))
    .option('--stop-after-steps <n>', 'stop (with a checkpoint) after N steps in total', integer(1))
    .addOption(
      new Option(
        '--on-nan <action>',
        'on a NaN or infinite loss or gradient: stop with an error, or skip the batch',
      )
        .choices(['stop', 'skip'])
        .default('stop'),
    )
    .addOption(
      new Option(
        '--sampling <how>',
        "batches: each image once per epoch (shuffle), or drawn with replacement as the book's Trainer does",
      )
        .choices(['shuffle', 'replacement'])
        .default('shuffle'),
    )
    .option(
      '--book',
      "the book's exact procedure: batches drawn with replacement and Adam's ε as in common/optimizer.py",
      false,
    )
    .addOption(
      new Option(
        '--lr-schedule <type>',
        'learning-rate schedule over the run: constant, step (×0.1 every third of the run) or cosine (down to 0 by the last step)',
      )
        .choices(lrScheduleTypes)
        .default('constant'),
    )
    .option(
      '--warmup-epochs <n>',
      'epochs of linear learning-rate warm-up before the schedule (may be fractional)',
      nonNegative,
    )
    .option(
      '--clip-grad-norm <max>',
      'scale the gradients so that their global L2 norm is at most max',
      positive,
    )
    .option(
      '--augment',
      'random shifts (±2 px), rotations (±10°) and scaling (±10%) of the training images, seeded',
      false,
    )
    .option(
      '--validation <n>',
      'hold out N training images (seeded) as a validation set, evaluated every epoch',
      integer(1),
    )
    .option(
      '--early-stopping <n>',
      'stop after N epochs without a lower validation loss (needs --validation)',
      integer(1),
    )
    .option(
      '--keep-best',
      "restore the best validation epoch's weights at the end and save those as the model (needs --validation)",
      false,
    )
    .addOption(
      new Option('--backend <name>', 'compute backend').choices(backendNames).default('wasm'),
    )
    .option('--threads <n>', 'threads for the wasm backend (cpu: 1)', integer(1))
    .action(async function (
      this: Command,
      options: TrainOptions & { threads?: number; backend: BackendName },
    ) {
      // The default folder's previous run is moved aside; a folder the user named is refused.
      options.movePrevious = this.getOptionValueSource('out') === 'default';
      const threads = options.threads ?? (options.backend === 'cpu' ? 1 : defaultThreads);
      await useBackend(options.backend, threads);
      const result = await runTraining(options, new ConsoleReporter());
      if (!result.completed) return;
      const best =
        result.bestEpoch === undefined || !options.keepBest
          ? ''
          : ` (the best validation epoch, ${result.bestEpoch})`;
      console.log(`\ntest accuracy: ${formatPercent(result.finalTest!.accuracy)}${best}`);
      console.log('\nwritten:');
      for (const [what, path] of Object.entries(result.files))
        console.log(`  ${what.padEnd(16)} ${path}`);
      result.network.dispose();
    });
}
