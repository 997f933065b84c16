import { onceWarner, type Platform } from './platform.js';
import { type PoolWorker, type WorkerData, workerLoop } from './pool.js';

/** The Web Worker's source: the data comes in the first message. */
const browserWorkerSource = `${workerLoop}
self.onmessage = (event) => {
  const d = event.data;
  const loop = runPool(d.module, d.memory, d.control, d.spinMs, d.names);
  self.postMessage('ready');
  loop();
};
`;

const warnOnce = onceWarner((message) => console.warn(message));

async function startBrowserWorker(data: WorkerData): Promise<PoolWorker> {
  const url = URL.createObjectURL(new Blob([browserWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event: ErrorEvent) => reject(new Error(event.message));
    worker.postMessage(data);
  });
  URL.revokeObjectURL(url);
  return worker;
}

/** Web Workers; a page that is not cross-origin isolated is told why it got one thread. */
export const browserPlatform: Platform = {
  startWorker: startBrowserWorker,
  explain({ requestedThreads, threads }) {
    if (requestedThreads > threads) {
      warnOnce(
        'threads',
        `@scratchnet/backend-wasm: ${requestedThreads} threads were asked for, but this page is not cross-origin isolated (no SharedArrayBuffer), so the backend runs on ${threads} thread. Serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to use threads.`,
      );
    }
  },
};
