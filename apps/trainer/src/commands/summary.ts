import { createNetwork, networkArchitectures } from '@scratchnet/layers';
import { Command, Option } from 'commander';

/** `scratchnet summary`: layers, output shapes and parameter counts of a network. */
export function summaryCommand(): Command {
  return new Command('summary')
    .description('print each layer, its output shape and its parameter count')
    .addOption(
      new Option('--model <name>', 'network architecture')
        .choices(networkArchitectures)
        .default('simple-convnet'),
    )
    .option(
      '--batch-size <n>',
      'batch size shown in the output shapes',
      (v) => Number.parseInt(v, 10),
      1,
    )
    .action(({ model, batchSize }: { model: string; batchSize: number }) => {
      const network = createNetwork({ architecture: model });
      console.log(network.summary([batchSize, ...network.inputShape]));
    });
}
