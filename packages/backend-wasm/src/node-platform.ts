import { Worker } from 'node:worker_threads';
import { onceWarner, type Platform } from './platform.js';
import { type PoolWorker, type WorkerData, workerLoop } from './pool.js';

/** The Node worker's source: worker_threads' `workerData` and `parentPort`. */
const nodeWorkerSource = `${workerLoop}
const { workerData, parentPort } = require('node:worker_threads');
const loop = runPool(workerData.module, workerData.memory, workerData.control, workerData.spinMs, workerData.names);
parentPort.postMessage('ready');
loop();
`;

const warnOnce = onceWarner((message) => process.emitWarning(message));

async function startNodeWorker(data: WorkerData): Promise<PoolWorker> {
  const worker = new Worker(nodeWorkerSource, { eval: true, workerData: data });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  // An idle pool must not keep the process alive.
  worker.unref();
  return worker;
}

/** worker_threads; on Node 20 the user is told how to turn on the faster relaxed-SIMD kernels. */
export const nodePlatform: Platform = {
  startWorker: startNodeWorker,
  explain({ relaxedUnavailable }) {
    if (relaxedUnavailable) {
      warnOnce(
        'relaxed-simd',
        `@scratchnet/backend-wasm: relaxed SIMD (fused multiply-add) is off in Node ${process.versions.node}, so the slower plain-SIMD kernels run. Run node with --experimental-wasm-relaxed-simd (on by default from Node 22), or pass variant: 'simd' to initWasmBackend to choose them and silence this.`,
      );
    }
  },
};
