import { defineConfig } from 'vite';

// Threads need SharedArrayBuffer, which a page only has when cross-origin isolated.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
export default defineConfig({
  build: { target: 'es2022' },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
});
