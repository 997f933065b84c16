import { exportOnnx, ONNX_OPSET, tensorsToSafetensors } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { Command, Option } from 'commander';
import { readModelFile } from './common.js';

/**
 * `scratchnet export MODEL_FILE -o OUT.safetensors`: the bare state dict as safetensors, for
 * PyTorch (`safetensors.torch.load_file` + `load_state_dict`) and other tools; with `--onnx`, the
 * inference graph as an ONNX model (onnxruntime, Netron, …).
 */
export function exportCommand(): Command {
  return new Command('export')
    .description(
      'export a model file as a plain safetensors state dict (PyTorch names and layouts) or, with --onnx, as an ONNX model',
    )
    .argument('<model-file>', 'a model file')
    .requiredOption('-o, --out <file>', 'the .safetensors (or, with --onnx, .onnx) file to write')
    .option('--onnx', `write an ONNX model (opset ${ONNX_OPSET}) instead of safetensors`, false)
    .addOption(
      new Option('--dtype <dtype>', 'stored precision (safetensors only)')
        .choices(['F32', 'F16', 'BF16'])
        .default('F32'),
    )
    .action(
      (
        modelFile: string,
        { out, dtype, onnx }: { out: string; dtype: 'F32' | 'F16' | 'BF16'; onnx: boolean },
      ) => {
        const { network, metadata } = readModelFile(modelFile);
        if (onnx) {
          const bytes = exportOnnx(network, {
            metadata: Object.fromEntries(
              Object.entries(metadata).filter(([key]) => !key.startsWith('scratchnet.')),
            ),
          });
          writeFileAtomicSync(out, bytes);
          console.log(
            `${modelFile} → ${out} (ONNX opset ${ONNX_OPSET}, input [batch, ${network.inputShape.join(', ')}], ${bytes.length.toLocaleString('en-US')} bytes)`,
          );
          return;
        }
        writeFileAtomicSync(
          out,
          tensorsToSafetensors(network.stateDict(), { dtype, metadata: { format: 'pt' } }),
        );
        console.log(
          `${modelFile} → ${out} (${dtype}, ${Object.keys(network.stateDict()).length} tensors)`,
        );
      },
    );
}
