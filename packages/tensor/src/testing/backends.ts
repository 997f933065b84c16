/**
 * The backends under test: a registry of backend configurations, and `describeEachBackend`, which
 * runs a block of tests once on each, with that configuration the active backend. Test files
 * written with it run on the reference backend (`cpu`, always under test) in their own package,
 * and on every configuration another package registers, from a vitest setup file, in the projects
 * that load it (as jax-js runs its tests with `suite.each(devices)`).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type Backend, getBackend, registerBackend, setBackend } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';

/** How a configuration under test is made and, once its tests are done, released. */
export interface TestBackendOptions<B extends Backend = Backend> {
  /** Releases what `create` made (stops a worker pool, frees memory). */
  dispose?: (backend: B) => void | Promise<void>;
}

interface Entry {
  create: () => Backend | Promise<Backend>;
  dispose?: (backend: Backend) => void | Promise<void>;
  instance?: Promise<Backend>;
}

/** The name of the environment variable that narrows `backendsUnderTest` (comma-separated). */
export const TEST_BACKENDS_ENV = 'SCRATCHNET_TEST_BACKENDS';

const entries = new Map<string, Entry>([['cpu', { create: () => cpuBackend as Backend }]]);

/**
 * Puts a backend configuration under test, as `name` (which test titles show: `"wasm-simd-2"`).
 * `create` runs once, when a block first needs it (so a configuration that is not selected costs
 * nothing); call this from a vitest setup file, and {@link releaseTestBackends} in its `afterAll`.
 * The backend it makes is registered under its own `Backend.name` while its blocks run, so
 * several configurations of one backend (all named `"wasm"`) can be under test in turn.
 *
 * @example
 * // setup-test-backends.ts (in vitest's `setupFiles`)
 * registerTestBackend('wasm-simd-2', () => createWasmBackend({ threads: 2 }), {
 *   dispose: (backend) => backend.close(),
 * });
 * afterAll(releaseTestBackends);
 */
export function registerTestBackend<B extends Backend>(
  name: string,
  create: () => B | Promise<B>,
  options: TestBackendOptions<B> = {},
): void {
  if (name === 'cpu') throw new Error('registerTestBackend: "cpu" is always under test');
  entries.set(name, {
    create,
    dispose: options.dispose as ((backend: Backend) => void | Promise<void>) | undefined,
  });
}

/** Every registered configuration: `cpu` first, then the others in the order registered. */
export function registeredTestBackends(): string[] {
  return [...entries.keys()];
}

/**
 * The configurations `describeEachBackend` runs on: every registered one, or those named in the
 * `SCRATCHNET_TEST_BACKENDS` environment variable (`"wasm-simd-1,wasm-relaxed-2"`; a vitest
 * project sets it with `test.env`), which must all be registered.
 */
export function backendsUnderTest(): string[] {
  const selected = (typeof process === 'undefined' ? undefined : process.env[TEST_BACKENDS_ENV])
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (!selected || selected.length === 0) return registeredTestBackends();
  const unknown = selected.filter((name) => !entries.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `${TEST_BACKENDS_ENV} names ${unknown.map((n) => `"${n}"`).join(', ')}, which no setup file ` +
        `registered (registered: ${registeredTestBackends().join(', ')})`,
    );
  }
  return selected;
}

/** The backend of configuration `name`, made on first use. */
export function testBackend(name: string): Promise<Backend> {
  const entry = entries.get(name);
  if (!entry) {
    throw new Error(
      `testBackend: no configuration "${name}" (registered: ${registeredTestBackends().join(', ')})`,
    );
  }
  entry.instance ??= Promise.resolve().then(entry.create);
  return entry.instance;
}

/**
 * Disposes of every configuration made so far (the next block that needs one makes it again).
 * A setup file that registers configurations calls it in `afterAll`.
 */
export async function releaseTestBackends(): Promise<void> {
  for (const entry of entries.values()) {
    const made = entry.instance;
    if (!made) continue;
    entry.instance = undefined;
    const backend = await made;
    if (getBackend() === backend) setBackend('cpu');
    await entry.dispose?.(backend);
  }
}

/** What a block of `describeEachBackend` is told about its configuration. */
export interface BackendUnderTest {
  /** The configuration's name, as registered (`"cpu"`, `"wasm-relaxed-2"`). */
  readonly name: string;
  /** Its backend: the active one while the block's tests and hooks run (not while it is collected). */
  readonly backend: Backend;
}

/**
 * `describe(title, fn)` once for each configuration under test, titled `title [name]`; while
 * that block's tests and hooks run, the configuration's backend is the active one, so tensors
 * and ops they make run on it. The backend that was active before is restored after the block.
 * Code that runs while the block is collected (in `fn` itself, outside tests and hooks) still
 * sees the previously active backend.
 *
 * @example
 * describeEachBackend('matmul', () => {
 *   it('multiplies', () => {
 *     expect(tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray()).toEqual([[11]]);
 *   });
 * });
 */
export function describeEachBackend(title: string, fn: (under: BackendUnderTest) => void): void {
  for (const name of backendsUnderTest()) {
    describe(`${title} [${name}]`, () => {
      let backend: Backend | undefined;
      let previous: Backend | undefined;
      beforeAll(async () => {
        backend = await testBackend(name);
        previous = getBackend();
        registerBackend(backend);
        setBackend(backend.name);
        if (getBackend() !== backend) {
          throw new Error(`describeEachBackend: "${name}" did not become the active backend`);
        }
      });
      afterAll(() => {
        if (!previous) return;
        registerBackend(previous);
        setBackend(previous.name);
      });
      fn({
        name,
        get backend(): Backend {
          if (!backend) {
            throw new Error(
              `describeEachBackend: the backend of "${name}" is there once the block's tests run`,
            );
          }
          return backend;
        },
      });
    });
  }
}
