// A user's browser app: the wasm backend on two threads, a few training steps of a small network
// on random data, the result written into the page for the test to read.
import { initWasmBackend } from '@scratchnet/backend-wasm';
import { Conv2d, Flatten, Linear, ReLU, Sequential, SimpleConvNet } from '@scratchnet/layers';
import { Adam } from '@scratchnet/optimizers';
import {
  listIndexedDbModels,
  loadModelFromIndexedDb,
  saveModelToIndexedDb,
} from '@scratchnet/serialization';
import { manualSeed, randn, softmaxCrossEntropy } from '@scratchnet/tensor';

const backend = await initWasmBackend({ threads: 2 });
manualSeed(1);
const net = new Sequential(
  new Conv2d(1, 4, 3),
  new ReLU(),
  new Flatten(),
  new Linear(4 * 26 * 26, 10),
);
const optimizer = new Adam(net.parameters(), { lr: 0.01 });
const x = randn([8, 1, 28, 28]);
const labels = [0, 1, 2, 3, 4, 5, 6, 7];
const losses = [];
for (let step = 0; step < 20; step++) {
  optimizer.zeroGrad();
  const loss = softmaxCrossEntropy(net.apply(x), labels);
  loss.backward();
  optimizer.step();
  losses.push(loss.item());
}
// A model kept in IndexedDB and loaded back: the same outputs.
const small = new SimpleConvNet({ filterNum: 2, hiddenSize: 5 }).eval();
await saveModelToIndexedDb('consumer-model', small);
const stored = (await listIndexedDbModels()).map((m) => m.name);
const reloaded = await loadModelFromIndexedDb('consumer-model');
const image = randn([1, 1, 28, 28]);
const indexedDb =
  stored.includes('consumer-model') &&
  small.forward(image).dataSync().join() === reloaded.forward(image).dataSync().join();

document.getElementById('result').textContent = JSON.stringify({
  indexedDb,
  threads: backend.threads,
  variant: backend.variant,
  crossOriginIsolated,
  first: losses[0],
  last: losses.at(-1),
});
