import { decodeIdx } from '@scratchnet/datasets';
import { type Manifest, MNIST_FILES } from './mnist.js';

export interface TestImages {
  /** 10,000 images of 28×28 bytes, row by row. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const [, , TEST_IMAGES, TEST_LABELS] = MNIST_FILES;
let loading: Promise<TestImages> | undefined;

async function fetchIdx(base: string, manifest: Manifest, name: string): Promise<Uint8Array> {
  const entry = manifest.files[name];
  if (!entry) throw new Error(`MNIST manifest has no ${name}`);
  const response = await fetch(`${base}mnist/${entry.url}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  const idx = decodeIdx(new Uint8Array(await response.arrayBuffer()), { source: name });
  if (!(idx.data instanceof Uint8Array)) throw new Error(`${name}: expected unsigned bytes`);
  return idx.data;
}

/**
 * The MNIST test set only (about 1.7 MB gzipped of the app's 11 MB), the same static files the
 * Train view's worker loads, fetched once on first use. A failed load is retried next time.
 */
export function loadTestImages(base: string = import.meta.env.BASE_URL): Promise<TestImages> {
  loading ??= (async () => {
    const response = await fetch(`${base}mnist/manifest.json`);
    if (!response.ok) throw new Error(`MNIST manifest: HTTP ${response.status}`);
    const manifest = (await response.json()) as Manifest;
    const [images, labels] = await Promise.all([
      fetchIdx(base, manifest, TEST_IMAGES),
      fetchIdx(base, manifest, TEST_LABELS),
    ]);
    return { images, labels, count: labels.length };
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
