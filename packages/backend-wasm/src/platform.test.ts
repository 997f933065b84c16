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
    browserPlatform.explain({ requestedThreads: 2, threads: 2 });
    expect(warn).not.toHaveBeenCalled();
    browserPlatform.explain({ requestedThreads: 2, threads: 1 });
    browserPlatform.explain({ requestedThreads: 4, threads: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /2 threads were asked for.*not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
    );
  });

  it('Node without relaxed SIMD prints nothing (the portable kernels are ~10 % slower)', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    nodePlatform.explain({ requestedThreads: 1, threads: 1 });
    nodePlatform.explain({ requestedThreads: 2, threads: 2 });
    expect(emit).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    emit.mockRestore();
    warn.mockRestore();
  });
});
