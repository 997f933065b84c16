import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserPlatform } from './browser-platform.js';
import { nodePlatform } from './node-platform.js';
import { onceWarner } from './platform.js';

afterEach(() => vi.restoreAllMocks());

describe('the warnings a user can act on, each once', () => {
  it('onceWarner prints each key once', () => {
    const printed: string[] = [];
    const warn = onceWarner((m) => printed.push(m));
    warn('a', 'first');
    warn('a', 'again');
    warn('b', 'other');
    expect(printed).toEqual(['first', 'other']);
  });

  it('a page that is not cross-origin isolated is told once why it got one thread', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    browserPlatform.explain({ requestedThreads: 2, threads: 2, relaxedUnavailable: false });
    expect(warn).not.toHaveBeenCalled();
    browserPlatform.explain({ requestedThreads: 2, threads: 1, relaxedUnavailable: false });
    browserPlatform.explain({ requestedThreads: 4, threads: 1, relaxedUnavailable: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /2 threads were asked for.*not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
    );
  });

  it('Node without relaxed SIMD is told once how to turn it on', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    nodePlatform.explain({ requestedThreads: 1, threads: 1, relaxedUnavailable: false });
    expect(emit).not.toHaveBeenCalled();
    nodePlatform.explain({ requestedThreads: 1, threads: 1, relaxedUnavailable: true });
    nodePlatform.explain({ requestedThreads: 2, threads: 2, relaxedUnavailable: true });
    expect(emit).toHaveBeenCalledTimes(1);
    expect(String(emit.mock.calls[0]![0])).toMatch(
      /--experimental-wasm-relaxed-simd.*variant: 'simd'/,
    );
  });
});
