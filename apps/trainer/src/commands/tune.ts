import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPercent, randomSearch } from '@scratchnet/training';
import { Command } from 'commander';
import { renderLineChart } from '../charts.js';
import { loadTrainingData } from '../training/data.js';
import { integer } from './parse.js';

interface TuneOptions {
  trials: number;
  epochs: number;
  samples: number;
  top: number;
  seed: number;
  out: string;
}

/** `scratchnet tune`: chapter 6's random search of learning rate and weight decay. */
export function tuneCommand(): Command {
  return new Command('tune')
    .description(
      "chapter 6: random search of learning rate and weight decay on a validation split (the book's hyperparameter_optimization.py)",
    )
    .option(
      '--trials <n>',
      'random (lr, weight decay) pairs to try (the book: 100)',
      integer(1),
      100,
    )
    .option('--epochs <n>', 'epochs per trial (the book: 50)', integer(1), 50)
    .option(
      '--samples <n>',
      'training images used, 20% of them held out for validation (the book: 500)',
      integer(10),
      500,
    )
    .option('--top <n>', 'best trials to list and plot', integer(1), 20)
    .option('--seed <n>', 'random seed', integer(0), 1)
    .option('-o, --out <dir>', 'where to write tune.png and tune.csv', 'runs/tune')
    .action(async (options: TuneOptions) => {
      const { train } = loadTrainingData({ dataset: 'mnist' });
      const trials = await randomSearch(train, {
        trials: options.trials,
        epochs: options.epochs,
        samples: options.samples,
        seed: options.seed,
        onTrial: (t) => {
          console.log(
            `trial ${String(t.trial).padStart(3)}  val acc ${formatPercent(t.validationAccuracy.at(-1)!)}  lr ${t.lr.toExponential(2)}  weight decay ${t.weightDecay.toExponential(2)}`,
          );
        },
      });
      const best = trials.slice(0, options.top);
      console.log(
        `\n=========== best ${best.length} of ${trials.length} (validation accuracy) ===========`,
      );
      best.forEach((t, rank) => {
        console.log(
          `Best-${String(rank + 1).padEnd(3)} val acc ${formatPercent(t.validationAccuracy.at(-1)!)}  lr ${t.lr.toExponential(3)}  weight decay ${t.weightDecay.toExponential(3)}`,
        );
      });
      mkdirSync(options.out, { recursive: true });
      const csv = join(options.out, 'tune.csv');
      writeFileSync(
        csv,
        `trial,lr,weight_decay,final_validation_accuracy,final_train_accuracy\n${trials
          .map(
            (t) =>
              `${t.trial},${t.lr},${t.weightDecay},${t.validationAccuracy.at(-1)},${t.trainAccuracy.at(-1)}`,
          )
          .join('\n')}\n`,
      );
      const png = join(options.out, 'tune.png');
      writeFileSync(
        png,
        await renderLineChart({
          title: `Validation accuracy of the best ${best.length} trials`,
          xLabel: 'epoch',
          yLabel: 'validation accuracy',
          series: best.map((t, rank) => ({
            name: `#${rank + 1} lr ${t.lr.toExponential(1)}, wd ${t.weightDecay.toExponential(1)}`,
            points: t.validationAccuracy.map((a, e) => [e + 1, a] as const),
          })),
        }),
      );
      console.log(`\nwritten:\n  ${png}\n  ${csv}`);
    });
}
