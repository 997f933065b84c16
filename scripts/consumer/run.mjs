#!/usr/bin/env node
/**
 * The packages as their users get them: every package packed with `pnpm pack`, installed with
 * npm into a fresh project outside the monorepo (scripts/consumer/project/ copied to a temporary
 * directory), and used there:
 *
 * 1. Node ESM: train a SimpleConvNet, save it, load it back, same predictions (train.mjs);
 *    on Node 20 also once without `--experimental-wasm-relaxed-simd`, where the backend must say
 *    once that the faster kernels are off;
 * 2. TypeScript: strict, `module: nodenext`, against the published .d.ts files (types.ts);
 * 3. CommonJS: `require()` of the ES modules (require.cjs, Node >= 20.19);
 * 4. the browser: a Vite build with no warnings, served with COOP/COEP and run in Chromium on
 *    two wasm threads, with no console warning or error; then served without COOP/COEP, where
 *    the backend must warn once that it runs on one thread.
 *
 * Run after `pnpm build`: `pnpm test:consumer`. Needs the npm registry (typescript, vite) and
 * Debian's chromium. Fails loudly, naming the step.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
const keep = process.argv.includes('--keep');

function step(name, fn) {
  const started = performance.now();
  process.stdout.write(`consumer: ${name} … `);
  try {
    const result = fn();
    console.log(`ok (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    console.log('FAILED');
    console.error(error.stdout?.toString?.() ?? '', error.stderr?.toString?.() ?? '');
    throw new Error(`consumer test, step "${name}": ${error.message}`);
  }
}

async function stepAsync(name, fn) {
  const started = performance.now();
  process.stdout.write(`consumer: ${name} … `);
  try {
    const result = await fn();
    console.log(`ok (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    console.log('FAILED');
    throw new Error(`consumer test, step "${name}": ${error.message}`);
  }
}

const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: project, encoding: 'utf8', stdio: 'pipe', ...options });

/** A port nobody listens on. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

try {
  // 1. Pack every package as it would be published.
  const packages = readdirSync(join(repoRoot, 'packages')).filter((name) => {
    try {
      return !JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'))
        .private;
    } catch {
      return false;
    }
  });
  mkdirSync(tarballs);
  const files = step(`pnpm pack ${packages.length} packages`, () =>
    packages.map((name) => {
      const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: join(repoRoot, 'packages', name),
        encoding: 'utf8',
      });
      const file = out.trim().split('\n').at(-1);
      const manifest = JSON.parse(
        readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'),
      );
      return { name: manifest.name, file: resolve(tarballs, file.split('/').at(-1)) };
    }),
  );

  // 2. A fresh project outside the monorepo, installed with npm from the tarballs. The packages
  // depend on each other by version; `overrides` point those at the tarballs too, as they would
  // resolve from the registry once published.
  cpSync(join(here, 'project'), project, { recursive: true });
  const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const viteVersion = JSON.parse(
    readFileSync(join(repoRoot, 'apps/playground/package.json'), 'utf8'),
  ).devDependencies.vite;
  const fileSpec = Object.fromEntries(files.map(({ name, file }) => [name, `file:${file}`]));
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'scratchnet-consumer',
        private: true,
        type: 'module',
        dependencies: fileSpec,
        devDependencies: {
          typescript: rootManifest.devDependencies.typescript,
          '@types/node': rootManifest.devDependencies['@types/node'],
          vite: viteVersion,
        },
        overrides: fileSpec,
      },
      null,
      2,
    )}\n`,
  );
  step('npm install (tarballs + typescript, vite from the registry)', () =>
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']),
  );

  // 3. Node ESM, with the relaxed-SIMD flag (the fast kernels) and, on Node 20, without it.
  step('Node ESM: train, save, reload (train.mjs)', () => {
    const out = run(process.execPath, ['--experimental-wasm-relaxed-simd', 'train.mjs']);
    const result = JSON.parse(out.trim().split('\n').at(-1));
    expect(result.same, `reloaded model predicts differently: ${out}`);
    expect(result.accuracy > 0.7, `accuracy ${result.accuracy} after one epoch of 2,000 images`);
    expect(result.predicted, `predict(net, one image) disagrees with evaluate: ${out}`);
    expect(result.fitOnArrays, `fit(net, { x, y }) on typed arrays did not train: ${out}`);
    console.log(`\n  accuracy ${result.accuracy}, reloaded ${result.reloadedAccuracy}`);
  });
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 22) {
    step(
      'Node 20 without --experimental-wasm-relaxed-simd: the portable kernels, no warning',
      () => {
        const { status, stdout, stderr } = spawnSync(process.execPath, ['train.mjs'], {
          cwd: project,
          encoding: 'utf8',
        });
        expect(status === 0, `exit ${status}: ${stderr}`);
        const warnings = stderr
          .split('\n')
          .filter((line) => line.includes('--experimental-wasm-relaxed-simd'));
        expect(warnings.length === 0, `expected no relaxed-SIMD warning, got:\n${stderr}`);
        expect(JSON.parse(stdout.trim().split('\n').at(-1)).same, 'reloaded model differs');
      },
    );
  }

  // 4. Strict TypeScript against the published declarations.
  step('TypeScript strict, nodenext (types.ts)', () => run('npx', ['tsc', '-p', 'tsconfig.json']));

  // 5. CommonJS.
  step('CommonJS require() (require.cjs)', () => {
    const result = JSON.parse(run(process.execPath, ['require.cjs']).trim());
    expect(JSON.stringify(result.grad) === '[2,4]', `grad ${result.grad}`);
  });

  // 6. The browser: a Vite build without warnings, run in Chromium.
  const buildLog = step('vite build (no warnings)', () =>
    run('npx', ['vite', 'build', 'browser', '--outDir', '../dist', '--emptyOutDir'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  expect(
    !/externalized for browser compatibility|\(!\)|warning/i.test(buildLog),
    `vite build warned:\n${buildLog}`,
  );

  const requireFromRepo = createRequire(join(repoRoot, 'apps/playground/package.json'));
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const openApp = async (port, args = []) => {
      const server = spawn(
        'npx',
        [
          'vite',
          'preview',
          'browser',
          '--outDir',
          '../dist',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--strictPort',
          ...args,
        ],
        // Its own process group: vite may start a child of its own, and the whole group must stop
        // (a child left holding the pipes would keep this script running).
        // NO_COLOR: where the terminal has colour, vite wraps the port in ANSI codes.
        {
          cwd: project,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        },
      );
      const stopServer = () => {
        try {
          process.kill(-server.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        server.stdout.destroy();
        server.stderr.destroy();
      };
      const url = `http://127.0.0.1:${port}/`;
      await new Promise((ready, reject) => {
        let text = '';
        server.stdout.on('data', (chunk) => {
          text += chunk;
          // Colour codes stripped too, in case a vite version ignores NO_COLOR.
          // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts an ANSI colour code.
          if (text.replace(/\x1b\[[0-9;]*m/g, '').includes(`:${port}/`)) ready();
        });
        server.once('exit', (code) => reject(new Error(`vite preview exited (${code}): ${text}`)));
        setTimeout(() => reject(new Error(`vite preview did not start: ${text}`)), 30_000).unref();
      });
      const page = await browser.newPage();
      const messages = [];
      page.on('console', (m) => {
        if (m.type() === 'warning' || m.type() === 'error')
          messages.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      await page.goto(url);
      await page.waitForFunction(
        () => document.getElementById('result')?.textContent !== 'running…',
        null,
        {
          timeout: 120_000,
        },
      );
      const result = JSON.parse(await page.locator('#result').textContent());
      await page.close();
      stopServer();
      return { result, messages };
    };

    await stepAsync(
      'Chromium, cross-origin isolated: 2 threads, loss falls, no warnings',
      async () => {
        const { result, messages } = await openApp(await freePort());
        expect(
          result.crossOriginIsolated && result.threads === 2,
          `ran as ${JSON.stringify(result)}`,
        );
        expect(result.last < result.first, `loss did not fall: ${JSON.stringify(result)}`);
        expect(result.indexedDb, `IndexedDB save and load failed: ${JSON.stringify(result)}`);
        expect(messages.length === 0, `console: ${messages.join('\n')}`);
      },
    );
    await stepAsync('Chromium, not isolated: 1 thread and one warning saying why', async () => {
      // A config without the COOP/COEP headers.
      writeFileSync(join(project, 'browser/plain.config.js'), 'export default {};\n');
      const { result, messages } = await openApp(await freePort(), [
        '--config',
        'browser/plain.config.js',
      ]);
      expect(
        !result.crossOriginIsolated && result.threads === 1,
        `ran as ${JSON.stringify(result)}`,
      );
      const warnings = messages.filter((m) => /cross-origin isolat/i.test(m));
      expect(warnings.length === 1 && messages.length === 1, `console: ${messages.join('\n')}`);
    });
  } finally {
    await browser.close();
  }
  console.log('consumer: all steps passed');
} finally {
  if (keep) console.log(`consumer: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
