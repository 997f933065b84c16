/**
 * Writes the PyTorch interop fixture's scratchnet side: a small seeded SimpleConvNet as a model
 * file and a fixed batch of MNIST test images. `scripts/torch-load-scratchnet.py` then loads the
 * file into the equivalent torch module and writes its logits beside them.
 *
 *   pnpm --filter @scratchnet/serialization exec tsx scripts/make-interop-model.ts
 *   /usr/bin/python3 scripts/torch-load-scratchnet.py packages/serialization/src/fixtures/interop
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@scratchnet/datasets/node';
import { SimpleConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { saveModel } from '../src/model-file.js';

const dir = fileURLToPath(new URL('../src/fixtures/interop/', import.meta.url));
manualSeed(2024);
// Small enough to commit (about 19k parameters); He init so that the logits are not tiny.
const network = new SimpleConvNet({ filterNum: 8, hiddenSize: 16, weightInitStd: 'he' });
writeFileSync(`${dir}simple-convnet.safetensors`, saveModel(network));
const { test } = loadMnist({ normalize: true, flatten: false });
const batch = Array.from(test.images.narrow(0, 0, 8).dataSync());
writeFileSync(`${dir}input.json`, `${JSON.stringify({ shape: [8, 1, 28, 28], data: batch })}\n`);
console.log(`wrote ${dir}simple-convnet.safetensors and input.json`);
