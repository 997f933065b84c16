/**
 * Type names must survive minification: a bundler renames classes (`Conv2d` → `zt`), so a name
 * taken from `constructor.name` differs between Node and a minified browser bundle, and an
 * optimizer state saved in one fails to load in the other. Library classes declare their names
 * (`static readonly typeName`); this bundles the built packages with esbuild's minifier and runs
 * the result to check them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import { Module } from './module.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const dists = [`${packages}layers/dist/index.js`, `${packages}optimizers/dist/index.js`];
const missing = dists.filter((path) => !existsSync(path));
const rebuild = 'pnpm --filter @scratchnet/layers --filter @scratchnet/optimizers build';

/** The part of esbuild's JS API used here (its types are not a dependency of this package). */
interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

describe('type names', () => {
  it('every exported layer and network class declares its own, equal to its export name', () => {
    const classes = Object.entries(api).filter(
      ([name, value]) =>
        typeof value === 'function' && value.prototype instanceof Module && name !== 'Network',
    ) as [string, typeof Module][];
    expect(classes.length).toBeGreaterThanOrEqual(18);
    for (const [name, Class] of classes) {
      // Its own static: one inherited (MultiLayerNetExtend from MultiLayerNet) would not count.
      expect(Object.hasOwn(Class, 'typeName'), name).toBe(true);
      expect((Class as unknown as { typeName: string }).typeName, name).toBe(name);
    }
  });

  it(`survive esbuild's minifier${missing.length > 0 ? ` (SKIPPED: ${missing.join(', ')} missing; run ${rebuild})` : ''}`, async (context) => {
    if (missing.length > 0) return context.skip();
    // esbuild comes with tsup (a root devDependency), so the package needs no dependency of its own.
    const require = createRequire(import.meta.url);
    const esbuild = createRequire(require.resolve('tsup'))('esbuild') as EsbuildApi;
    const entry = `
      import { Conv2d, Dropout, SequentialNet, SimpleConvNet } from ${JSON.stringify(dists[0])};
      import { Adam, AdamW } from ${JSON.stringify(dists[1])};
      import { zeros } from '@scratchnet/tensor';
      const message = (run) => { try { run(); return 'no error'; } catch (e) { return e.message; } };
      const fresh = new Adam([]);
      console.log(JSON.stringify({
        className: Conv2d.name,
        conv: new Conv2d(1, 2, 3).typeName,
        dropout: new Dropout(0.5).typeName,
        adam: new Adam([]).stateDict().type,
        adamW: new AdamW([]).stateDict().type,
        loadNodeState: message(() => fresh.loadStateDict({ type: 'Adam', hyperparameters: {}, step: 3, slots: {} })),
        wrongState: message(() => new AdamW([]).loadStateDict(fresh.stateDict())),
        shapeError: message(() => new SimpleConvNet().forward(zeros([1, 3, 32, 32]))),
        summary: new SequentialNet({ inputShape: [4], layers: [{ type: 'linear', name: 'fc', outFeatures: 2 }] })
          .summary().split('\\n').filter((line) => !line.startsWith('─')),
      }));
    `;
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: `${packages}layers`, sourcefile: 'entry.js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      logLevel: 'silent',
    });
    const bundle = result.outputFiles[0]!.text;
    const output = execFileSync(process.execPath, ['--input-type=module'], {
      input: bundle,
      encoding: 'utf8',
    });
    const seen = JSON.parse(output) as Record<string, unknown>;
    // The bundle is minified (else this test would prove nothing).
    expect(seen.className, 'esbuild kept the class name: the test does not minify').not.toBe(
      'Conv2d',
    );
    expect(seen, `stale dist? run ${rebuild}`).toEqual({
      className: seen.className,
      conv: 'Conv2d',
      dropout: 'Dropout',
      adam: 'Adam',
      adamW: 'AdamW',
      loadNodeState: 'no error',
      wrongState: 'AdamW.loadStateDict: the state was saved by Adam',
      shapeError:
        "SimpleConvNet: input [1, 3, 32, 32] does not fit this network's input [batch ≥ 1, 1, 28, 28]; its first layer is conv1 (Conv2d)",
      summary: [
        'SequentialNet, input [1, 4]',
        'Layer (type)  Output shape  Param #',
        'fc (Linear)   [1, 2]             10',
        'Total params: 10',
      ],
    });
  });
});
