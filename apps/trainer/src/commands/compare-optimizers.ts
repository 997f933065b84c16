import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareOptimizers, smoothCurve } from '@scratchnet/training';
import { Command } from 'commander';
import { renderLineChart } from '../charts.js';
import { loadTrainingData } from '../training/data.js';
import { integer } from './parse.js';

/** `scratchnet compare-optimizers`: chapter 6's SGD/Momentum/AdaGrad/Adam race on MNIST. */
export function compareOptimizersCommand(): Command {
  return new Command('compare-optimizers')
    .description(
      "chapter 6: SGD, Momentum, AdaGrad and Adam on MNIST with a 5-layer MLP (the book's optimizer_compare_mnist.py)",
    )
    .option('--iterations <n>', 'steps per optimizer (the book: 2000)', integer(1), 2000)
    .option('--batch-size <n>', 'images per step (the book: 128)', integer(1), 128)
    .option('--seed <n>', 'random seed', integer(0), 1)
    .option(
      '-o, --out <dir>',
      'where to write compare-optimizers.png and .csv',
      'runs/compare-optimizers',
    )
    .action(
      async ({
        iterations,
        batchSize,
        seed,
        out,
      }: {
        iterations: number;
        batchSize: number;
        seed: number;
        out: string;
      }) => {
        const { train } = loadTrainingData({ dataset: 'mnist' });
        const report = Math.max(1, Math.floor(iterations / 10));
        const races = await compareOptimizers(train, {
          iterations,
          batchSize,
          seed,
          onIteration: (i, losses) => {
            if ((i + 1) % report === 0 || i + 1 === iterations) {
              for (const [name, loss] of Object.entries(losses)) {
                console.log(
                  `${name.padEnd(9)} iteration ${String(i + 1).padStart(5)}  loss ${loss.toFixed(4)}`,
                );
              }
            }
          },
        });
        mkdirSync(out, { recursive: true });
        const csv = join(out, 'compare-optimizers.csv');
        const header = `iteration,${races.map((r) => r.name).join(',')}`;
        const rows = Array.from(
          { length: iterations },
          (_, i) => `${i + 1},${races.map((r) => r.losses[i]).join(',')}`,
        );
        writeFileSync(csv, `${[header, ...rows].join('\n')}\n`);
        const png = join(out, 'compare-optimizers.png');
        writeFileSync(
          png,
          await renderLineChart({
            title: 'Optimizers on MNIST (5-layer MLP, smoothed as the book)',
            xLabel: 'iteration',
            yLabel: 'loss',
            series: races.map((r) => ({
              name: `${r.name} (lr ${r.lr})`,
              points: smoothCurve(r.losses).map((loss, i) => [i + 1, loss] as const),
            })),
            logY: true,
          }),
        );
        console.log('\nfinal loss (mean of the last 100 iterations):');
        for (const r of races) {
          const tail = r.losses.slice(-100);
          console.log(
            `  ${r.name.padEnd(9)} ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(4)}`,
          );
        }
        console.log(`\nwritten:\n  ${png}\n  ${csv}`);
      },
    );
}
