import { Command } from 'commander';
import { summaryCommand } from './commands/summary.js';

const program = new Command()
  .name('scratchnet')
  .description('Train, evaluate and inspect the networks of "Deep Learning from Scratch" on MNIST.')
  .showHelpAfterError();

program.addCommand(summaryCommand());

await program.parseAsync();
