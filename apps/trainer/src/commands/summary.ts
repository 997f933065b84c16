import { existsSync, readFileSync } from 'node:fs';
import { createNetwork, type Network } from '@scratchnet/layers';
import { loadModel } from '@scratchnet/serialization';
import { Command, Option } from 'commander';
import { modelNames } from '../training/choices.js';
import { readNetworkSpec } from '../training/network-spec.js';

/**
 * `scratchnet summary [MODEL_FILE]`: layers, output shapes and parameter counts of a model file
 * (from the trainer, the playground or `import`), of a JSON network description (`--spec`), or of
 * one of the book's networks (`--model`).
 */
export function summaryCommand(): Command {
  return new Command('summary')
    .description('print each layer, its output shape and its parameter count')
    .argument('[model-file]', 'a model file (default: the network --model or --spec names)')
    .addOption(
      new Option('--model <name>', 'network architecture')
        .choices(modelNames)
        .default('simple-convnet'),
    )
    .option(
      '--spec <file>',
      'a JSON network description: {"inputShape": [1, 28, 28], "layers": [...]}',
    )
    .option(
      '--batch-size <n>',
      'batch size shown in the output shapes',
      (v) => Number.parseInt(v, 10),
      1,
    )
    .action(
      (
        modelFile: string | undefined,
        { model, spec, batchSize }: { model: string; spec?: string; batchSize: number },
      ) => {
        let network: Network;
        if (modelFile) {
          if (!existsSync(modelFile)) throw new Error(`${modelFile}: no such file`);
          network = loadModel(readFileSync(modelFile), { source: modelFile });
        } else {
          network = createNetwork(spec ? readNetworkSpec(spec) : { architecture: model });
        }
        console.log(network.summary([batchSize, ...network.inputShape]));
      },
    );
}
