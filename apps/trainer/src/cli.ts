import { Command } from 'commander';
import { bookCommand } from './commands/book.js';
import { compareOptimizersCommand } from './commands/compare-optimizers.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { importBookCommand } from './commands/import-book.js';
import { predictCommand } from './commands/predict.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { tuneCommand } from './commands/tune.js';

// `scratchnet train … | head -3`: once the reader has gone, stop quietly (as `ls | head` does)
// instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const program = new Command()
  .name('scratchnet')
  .description('Train, evaluate and inspect the networks of "Deep Learning from Scratch" on MNIST.')
  .showHelpAfterError()
  .addCommand(trainCommand())
  .addCommand(evalCommand())
  .addCommand(predictCommand())
  .addCommand(summaryCommand())
  .addCommand(importCommand())
  .addCommand(importBookCommand())
  .addCommand(exportCommand())
  .addCommand(compareOptimizersCommand())
  .addCommand(tuneCommand())
  .addCommand(bookCommand());

try {
  await program.parseAsync();
} catch (error) {
  // Errors users can act on (bad files, wrong shapes) print as one line, not a stack trace.
  console.error(`scratchnet: ${(error as Error).message}`);
  process.exitCode = 1;
}
