import { existsSync, readFileSync } from 'node:fs';
import { importBookParams, saveModel } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { Command, Option } from 'commander';

/** `scratchnet import-book FILE.pkl -o MODEL_FILE`: the book's saved parameters → a model file. */
export function importBookCommand(): Command {
  return new Command('import-book')
    .description("convert the book's saved parameters (save_params pickles) into a model file")
    .argument(
      '<pickle>',
      'e.g. params.pkl (ch07), deep_convnet_params.pkl (ch08), sample_weight.pkl (ch03)',
    )
    .requiredOption('-o, --out <model-file>', 'where to write the model file')
    .addOption(
      new Option(
        '--architecture <name>',
        'read the file as this network instead of detecting it',
      ).choices(['mlp', 'simple-convnet', 'deep-convnet']),
    )
    .action(
      (
        pickle: string,
        {
          out,
          architecture,
        }: { out: string; architecture?: 'mlp' | 'simple-convnet' | 'deep-convnet' },
      ) => {
        if (!existsSync(pickle)) throw new Error(`${pickle}: no such file`);
        const network = importBookParams(readFileSync(pickle), { source: pickle, architecture });
        writeFileAtomicSync(out, saveModel(network, { metadata: { 'imported-from': pickle } }));
        console.log(
          `${pickle} → ${out}: ${network.config.architecture}, ${network.parameterCount().toLocaleString('en-US')} parameters`,
        );
      },
    );
}
