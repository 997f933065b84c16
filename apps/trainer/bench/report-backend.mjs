// Preloaded into `scratchnet train` by memory.mjs (node --import): when the process exits, prints
// the active backend's memory to stderr as one JSON line. The tensor module is the CLI's own
// (the same file, so the same backend registry).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../package.json', import.meta.url));
const tensorPath = require.resolve('@scratchnet/tensor');
const { getBackend, memory } = await import(pathToFileURL(tensorPath).href);

process.on('exit', () => {
  const backend = getBackend();
  const stats = typeof backend.stats === 'function' ? backend.stats() : null;
  process.stderr.write(
    `scratchnet-memory ${JSON.stringify({ backend: backend.name, stats, core: memory(backend) })}\n`,
  );
});
