import { tensorsToSafetensors } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { Command, Option } from 'commander';
import { readModelFile } from './common.js';

/**
 * `scratchnet export MODEL_FILE -o OUT.safetensors`: the bare state dict as safetensors, for
 * PyTorch (`safetensors.torch.load_file` + `load_state_dict`) and other tools.
 */
export function exportCommand(): Command {
  return new Command('export')
    .description(
      'export a model file as a plain safetensors state dict (PyTorch names and layouts)',
    )
    .argument('<model-file>', 'a model file')
    .requiredOption('-o, --out <file>', 'the .safetensors file to write')
    .addOption(
      new Option('--dtype <dtype>', 'stored precision')
        .choices(['F32', 'F16', 'BF16'])
        .default('F32'),
    )
    .action((modelFile: string, { out, dtype }: { out: string; dtype: 'F32' | 'F16' | 'BF16' }) => {
      const { network } = readModelFile(modelFile);
      writeFileAtomicSync(
        out,
        tensorsToSafetensors(network.stateDict(), { dtype, metadata: { format: 'pt' } }),
      );
      console.log(
        `${modelFile} → ${out} (${dtype}, ${Object.keys(network.stateDict()).length} tensors)`,
      );
    });
}
