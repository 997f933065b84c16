import { existsSync, readFileSync } from 'node:fs';
import { importStateDict, saveModel } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { Command, Option } from 'commander';
import { modelNames } from '../training/choices.js';
import { readNetworkSpec } from '../training/network-spec.js';

/**
 * `scratchnet import STATE_DICT (--model NAME | --spec FILE) -o MODEL_FILE`: a bare state dict
 * (a safetensors file PyTorch saved) into a model file, checked name by name and shape by shape,
 * so that a network trained in PyTorch runs in the CLI and the playground.
 */
export function importCommand(): Command {
  return new Command('import')
    .description(
      'turn a bare state dict (safetensors, e.g. saved by PyTorch) into a model file, checked name by name and shape by shape',
    )
    .argument('<state-dict>', 'e.g. torch-model.safetensors')
    .addOption(
      new Option('--model <name>', 'the architecture, with its default sizes').choices(modelNames),
    )
    .option(
      '--spec <file>',
      'a JSON network description: {"inputShape": [1, 28, 28], "layers": [...]} (sequential) or any model config',
    )
    .requiredOption('-o, --out <model-file>', 'where to write the model file')
    .action(
      (
        stateDict: string,
        options: { model?: (typeof modelNames)[number]; spec?: string; out: string },
      ) => {
        if (!options.model === !options.spec) {
          throw new Error('import: give either --model NAME or --spec FILE (one of them)');
        }
        if (!existsSync(stateDict)) throw new Error(`${stateDict}: no such file`);
        const config = options.spec
          ? readNetworkSpec(options.spec)
          : { architecture: options.model! };
        const network = importStateDict(readFileSync(stateDict), config, { source: stateDict });
        writeFileAtomicSync(
          options.out,
          saveModel(network, { metadata: { 'imported-from': stateDict } }),
        );
        console.log(
          `${stateDict} → ${options.out}: ${network.config.architecture}, ${Object.keys(network.stateDict()).length} tensors, ${network.parameterCount().toLocaleString('en-US')} parameters`,
        );
      },
    );
}
