/**
 * The browser build: headless Chromium loads a page served with COOP/COEP headers (so it is
 * cross-origin isolated and SharedArrayBuffer exists), runs the same kernels on two threads (Web
 * Workers over one shared memory) and must agree with Node on a fixed batch. It also times a
 * SimpleConvNet training step (batch 100) in both.
 *
 * Needs Debian's chromium (`apt-get install chromium`; CI installs it): without it the test is
 * skipped, unless CI is set, where it fails. CHROMIUM_PATH=/path overrides the executable, as
 * for the playground's and the consumer's tests.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { setBackend } from '@scratchnet/tensor';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOptions, CheckResult } from './browser/check.js';
import { runCheck } from './browser/check.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executable);
if (!available && process.env.CI) throw new Error(`browser test: no Chromium at ${executable}`);

const packages = fileURLToPath(new URL('../../', import.meta.url));
const TIMED_STEPS = 10;

describe.skipIf(!available)('the browser build (headless Chromium, COOP/COEP)', () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./browser/entry.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      // The workspace packages from their sources, as the other tests use them; backend-wasm by
      // its browser entry (index.ts), as a bundler picks it: no node:* module may be needed.
      alias: Object.fromEntries(
        ['tensor', 'layers', 'optimizers', 'backend-wasm'].map((name) => [
          `@scratchnet/${name}`,
          `${packages}${name}/src/index.ts`,
        ]),
      ),
    });
    const script = bundle.outputFiles[0]!.text;
    const page =
      '<!doctype html><meta charset="utf-8"><script type="module" src="/check.js"></script>';
    server = createServer((request, response) => {
      const isScript = request.url === '/check.js';
      response.writeHead(request.url === '/' || isScript ? 200 : 404, {
        'Content-Type': isScript ? 'text/javascript' : 'text/html',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      response.end(isScript ? script : page);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: executable,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    setBackend('cpu');
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  async function inBrowser(options: CheckOptions): Promise<CheckResult & { isolated: boolean }> {
    const page = await browser.newPage();
    try {
      await page.goto(url);
      await page.waitForFunction(() => typeof globalThis.scratchnetCheck === 'function');
      return await page.evaluate(async (o) => {
        const result = await globalThis.scratchnetCheck(o);
        return { ...result, isolated: globalThis.crossOriginIsolated };
      }, options);
    } finally {
      await page.close();
    }
  }

  it('runs the kernels on two threads and agrees with Node on a fixed batch', async () => {
    const browserResult = await inBrowser({ variant: 'simd', threads: 2 });
    expect(browserResult.isolated).toBe(true);
    expect(browserResult.threads).toBe(2);
    const node = await runCheck({ variant: 'simd', threads: 2 });
    // The same wasm kernels with the same split between threads: the same bits.
    expect(browserResult.logits).toEqual(node.logits);
    expect(browserResult.losses).toEqual(node.losses);
    expect(browserResult.params).toEqual(node.params);
  }, 120_000);

  for (const threads of [1, 2]) {
    it(`times a SimpleConvNet training step (batch 100) in the browser and in Node, ${threads} thread(s)`, async () => {
      const browserResult = await inBrowser({ threads, timedSteps: TIMED_STEPS });
      const node = await runCheck({ threads, timedSteps: TIMED_STEPS });
      const ratio = browserResult.stepMs! / node.stepMs!;
      console.log(
        `SimpleConvNet train step, batch 100, ${threads} thread(s): browser ` +
          `${browserResult.stepMs!.toFixed(1)} ms (${browserResult.variant}), Node ` +
          `${node.stepMs!.toFixed(1)} ms (${node.variant}); browser/Node ${ratio.toFixed(2)}`,
      );
      // Loose: a shared CI machine makes timings noisy; docs/performance.md has the figures.
      expect(ratio).toBeLessThan(3);
    }, 180_000);
  }
});
