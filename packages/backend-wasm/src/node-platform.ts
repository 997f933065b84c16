import { Worker } from 'node:worker_threads';
import type { Platform } from './platform.js';
import { type PoolWorker, type WorkerData, workerLoop } from './pool.js';

/** The Node worker's source: worker_threads' `workerData` and `parentPort`. */
const nodeWorkerSource = `${workerLoop}
const { workerData, parentPort } = require('node:worker_threads');
const loop = runPool(workerData.module, workerData.memory, workerData.control, workerData.spinMs, workerData.names);
parentPort.postMessage('ready');
loop();
`;

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

/**
 * worker_threads. Node always gets the threads it asks for, and Node 20 without relaxed SIMD runs
 * the portable kernels without a word: a SimpleConvNet epoch takes about 10 % longer on them, not
 * enough to warn on every run; `backend.variant` says which run.
 */
export const nodePlatform: Platform = {
  startWorker: startNodeWorker,
  explain() {},
};
