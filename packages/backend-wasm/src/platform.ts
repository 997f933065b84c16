import type { PoolWorker, WorkerData } from './pool.js';

/**
 * What differs between Node and browsers: how a pool worker starts (worker_threads or a Web
 * Worker) and what to tell the user, once, when the backend runs slower than it could. Each
 * entry point (`node.ts` for Node, `index.ts` for everything else) passes its own, so a bundler
 * building for the browser never sees `node:worker_threads`.
 */
export interface Platform {
  startWorker(data: WorkerData): Promise<PoolWorker>;
  /**
   * Called once the backend knows its threads; says (once per process or page) why fewer threads
   * were used, if the user can change that (a page that is not cross-origin isolated).
   */
  explain(choice: BackendChoice): void;
}

export interface BackendChoice {
  requestedThreads: number;
  threads: number;
}

/** A warning printed at most once for each `key` in this process or page. */
export function onceWarner(
  print: (message: string) => void,
): (key: string, message: string) => void {
  const said = new Set<string>();
  return (key, message) => {
    if (said.has(key)) return;
    said.add(key);
    print(message);
  };
}
