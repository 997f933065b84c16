import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { create } from 'zustand';
import { wantedThreads } from '../lib/trainer-client.js';
import type {
  ExperimentKind,
  FromExperimentWorker,
  RequestOf,
  ToExperimentWorker,
  UpdateOf,
} from './experiment-protocol.js';

/**
 * The page's side of the experiment worker: one worker for every experiment view, started when
 * the first experiment runs and kept (with MNIST, once loaded) while the page is open. Each run
 * has an id; its updates go to its handlers until it ends.
 */
export interface WorkerStatus {
  backend: { name: string; threads: number; error?: string } | null;
  mnist: { loaded: number; total: number } | null;
}

export const useExperimentWorker = create<WorkerStatus>(() => ({ backend: null, mnist: null }));

export type RunEnd = 'done' | 'cancelled' | { error: string };

interface Handlers {
  onUpdate(update: UpdateOf<ExperimentKind>): void;
  onEnd(end: RunEnd): void;
}

let worker: Worker | undefined;
let nextId = 1;
const runs = new Map<number, Handlers>();

function onMessage(message: FromExperimentWorker): void {
  switch (message.type) {
    case 'ready':
      useExperimentWorker.setState({
        backend: {
          name: message.backend,
          threads: message.threads,
          ...(message.backendError ? { error: message.backendError } : {}),
        },
      });
      break;
    case 'mnist':
      useExperimentWorker.setState({ mnist: { loaded: message.loaded, total: message.total } });
      break;
    case 'update':
      runs.get(message.id)?.onUpdate(message.update);
      break;
    case 'end': {
      const handlers = runs.get(message.id);
      runs.delete(message.id);
      handlers?.onEnd(message.how === 'error' ? { error: message.message ?? '' } : message.how);
      break;
    }
  }
}

function send(message: ToExperimentWorker): void {
  if (!worker) {
    worker = new Worker(new URL('./experiment-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromExperimentWorker>) => onMessage(event.data);
    worker.onerror = (event) => {
      for (const [id, handlers] of runs) {
        runs.delete(id);
        handlers.onEnd({ error: event.message || 'the experiment worker failed' });
      }
    };
    worker.postMessage({
      type: 'init',
      base: import.meta.env.BASE_URL,
      threads: wantedThreads(),
    } satisfies ToExperimentWorker);
  }
  worker.postMessage(message);
}

/** Starts an experiment in the worker; the function returned cancels it. */
export function runExperiment<K extends ExperimentKind>(
  request: RequestOf<K>,
  handlers: { onUpdate(update: UpdateOf<K>): void; onEnd(end: RunEnd): void },
): () => void {
  const id = nextId++;
  runs.set(id, handlers as Handlers);
  send({ type: 'run', id, request });
  return () => {
    if (runs.has(id)) send({ type: 'cancel', id });
  };
}

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/**
 * A view's experiment: `start(request)` cancels the run under way (if any) and runs again from
 * `initial`, folding every update into the state with `reduce`; `stop()` cancels; leaving the
 * view (unmounting) cancels too.
 */
export function useExperiment<K extends ExperimentKind, S>(
  initial: () => S,
  reduce: (state: S, update: UpdateOf<K>) => S,
) {
  const [data, setData] = useState(initial);
  const [status, setStatus] = useState<RunStatus>('idle');
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<(() => void) | null>(null);
  const reduceRef = useRef(reduce);
  reduceRef.current = reduce;
  const initialRef = useRef(initial);
  initialRef.current = initial;

  /** `keep`: the last result stays until the next arrives (quick experiments: no flicker). */
  const start = useCallback((request: RequestOf<K>, { keep = false } = {}) => {
    cancel.current?.();
    if (!keep) setData(initialRef.current());
    setStatus('running');
    setError(null);
    const stopThis = runExperiment(request, {
      // A transition: React renders it in slices, so a big update never blocks the page long.
      onUpdate: (update) =>
        startTransition(() => setData((state) => reduceRef.current(state, update))),
      onEnd: (end) => {
        if (cancel.current !== stopThis) return;
        cancel.current = null;
        if (end === 'done') setStatus('done');
        else if (end === 'cancelled') setStatus('stopped');
        else {
          setStatus('error');
          setError(end.error);
        }
      },
    });
    cancel.current = stopThis;
  }, []);

  const stop = useCallback(() => {
    cancel.current?.();
  }, []);

  /** Cancels and forgets the run: back to `initial`. */
  const clear = useCallback(() => {
    const running = cancel.current;
    cancel.current = null;
    running?.();
    setData(initialRef.current());
    setStatus('idle');
    setError(null);
  }, []);

  useEffect(
    () => () => {
      cancel.current?.();
      cancel.current = null;
    },
    [],
  );

  return { data, status, error, start, stop, clear };
}
