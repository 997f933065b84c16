/**
 * What both workers (training and the book's experiments) do the same way: start the wasm
 * backend, and wrap MNIST's bytes as a dataset.
 */
import { initWasmBackend } from '@scratchnet/backend-wasm';
import { ArrayDataset } from '@scratchnet/datasets';
import { getBackend, setBackend } from '@scratchnet/tensor';

/** The `ready` message both workers post: the backend in use, and why not wasm if it failed. */
export interface BackendReady {
  type: 'ready';
  backend: string;
  threads: number;
  backendError?: string;
}

/** The wasm backend on `threads` threads, or the reference cpu backend if wasm cannot start. */
export async function startBackend(threads: number): Promise<BackendReady> {
  let backendError: string | undefined;
  try {
    await initWasmBackend({ threads });
  } catch (error) {
    backendError = (error as Error).message;
    setBackend('cpu');
  }
  const backend = getBackend() as { name: string; threads?: number };
  return {
    type: 'ready',
    backend: backend.name,
    threads: backend.threads ?? 1,
    ...(backendError ? { backendError } : {}),
  };
}

/** MNIST images and labels as a dataset: pixels / 255, as [N, 784] or [N, 1, 28, 28]. */
export function mnistDataset(
  images: Uint8Array,
  labels: Uint8Array,
  { flatten }: { flatten: boolean },
): ArrayDataset {
  return new ArrayDataset({
    features: images,
    labels,
    sampleShape: [1, 28, 28],
    numClasses: 10,
    transforms: { normalize: true, flatten },
  });
}
