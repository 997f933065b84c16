// A user's Node script: train a SimpleConvNet on 2,000 MNIST images, save it, load it back and
// check the loaded network predicts exactly as the trained one.
import { readFileSync } from 'node:fs';
import { initWasmBackend } from '@scratchnet/backend-wasm';
import { loadMnist } from '@scratchnet/datasets/node';
import { SimpleConvNet } from '@scratchnet/layers';
import { loadModel, saveModel } from '@scratchnet/serialization';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';
import { manualSeed } from '@scratchnet/tensor';
import { evaluate, fit, predict } from '@scratchnet/training';

await initWasmBackend({ threads: 2 });
manualSeed(1);
const mnist = loadMnist({ normalize: true, flatten: false });
const first = (n) => Array.from({ length: n }, (_, i) => i);
const net = new SimpleConvNet();
await fit(net, mnist.train.dataset.subset(first(2000)), { optimizer: 'adam', epochs: 3, seed: 1 });
const test = mnist.test.dataset.subset(first(500));
const trained = await evaluate(net, test);
writeFileAtomicSync('model.safetensors', saveModel(net));
const loaded = await evaluate(
  loadModel(readFileSync('model.safetensors'), { source: 'model.safetensors' }),
  test,
);
const same = trained.predictions.every((p, i) => p === loaded.predictions[i]);

// One image, [1, 28, 28] as 784 numbers: predict gives its class and probabilities.
const image = test.batch([3]).x.dataSync();
const one = predict(net, image);
const predicted = !Array.isArray(one) && one.class === trained.predictions[3];

// fit straight from typed arrays: 500 images and their labels.
const x = mnist.train.dataset.batch(first(500)).x.dataSync();
const y = Int32Array.from(first(500), (i) => mnist.train.dataset.labelAt(i));
const { history } = await fit(new SimpleConvNet(), { x, y }, { epochs: 1, trainEvalSamples: 500 });
const fitOnArrays = history.length === 1 && history[0].trainAccuracy > 0.3;

console.log(
  JSON.stringify({
    accuracy: trained.accuracy,
    reloadedAccuracy: loaded.accuracy,
    same,
    predicted,
    fitOnArrays,
  }),
);
if (!same || !predicted || !fitOnArrays || trained.accuracy < 0.7) process.exit(1);
