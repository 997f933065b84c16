import { relaxed, relaxedShared, simd, simdShared } from './generated/kernels.js';

const builds: Record<string, string> = { relaxed, relaxedShared, simd, simdShared };

/** The exports of assembly/index.ts (pointers and sizes are plain numbers). */
export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(): number;
  isRelaxed(): number;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    lda: number,
    ldb: number,
    ldc: number,
    transA: number,
    transB: number,
    accumulate: number,
    scratch: number,
  ): void;
  addInto(dst: number, src: number, n: number): void;
  fill(out: number, n: number, value: number): void;
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, a: number, b: number, out: number, rank: number, dims: number): void;
  reduce(op: number, x: number, out: number, rank: number, dims: number): void;
  argReduce(isMax: number, x: number, out: number, outer: number, len: number, inner: number): void;
  stridedCopy(src: number, dst: number, rank: number, dims: number): void;
  im2col(x: number, cols: number, b0: number, b1: number, ...g: number[]): void;
  col2im(cols: number, img: number, b0: number, b1: number, ...g: number[]): void;
  convChunkRows(taps: number, outH: number, outW: number): number;
  winogradScratchFloats(
    c: number,
    outC: number,
    h: number,
    w: number,
    pad: number,
    outH: number,
    outW: number,
  ): number;
  winogradFilters(w: number, u: number, outC: number, c: number, flip: number): void;
  winogradFilterGradScratchFloats(
    c: number,
    outC: number,
    h: number,
    w: number,
    pad: number,
    outH: number,
    outW: number,
  ): number;
  conv2dWinogradFilterGrad(
    x: number,
    dy: number,
    s: number,
    b0: number,
    b1: number,
    outC: number,
    accumulate: number,
    work: number,
    scratch: number,
    c: number,
    h: number,
    w: number,
    pad: number,
    outH: number,
    outW: number,
  ): void;
  winogradFilterGradients(s: number, dw: number, outC: number, c: number): void;
  conv2dWinograd(
    x: number,
    u: number,
    bias: number,
    hasBias: number,
    y: number,
    b0: number,
    b1: number,
    outC: number,
    work: number,
    scratch: number,
    c: number,
    h: number,
    w: number,
    pad: number,
    outH: number,
    outW: number,
  ): void;
  conv2dForward(
    x: number,
    w: number,
    bias: number,
    hasBias: number,
    y: number,
    b0: number,
    b1: number,
    outC: number,
    cols: number,
    scratch: number,
    ...g: number[]
  ): void;
  conv2dInputGrad(
    dy: number,
    w: number,
    dx: number,
    b0: number,
    b1: number,
    outC: number,
    cols: number,
    scratch: number,
    ...g: number[]
  ): void;
  conv2dFilterGrad(
    x: number,
    dy: number,
    dw: number,
    b0: number,
    b1: number,
    outC: number,
    accumulate: number,
    cols: number,
    scratch: number,
    ...g: number[]
  ): void;
  maxPool(
    mode: number,
    x: number,
    dy: number,
    out: number,
    p0: number,
    p1: number,
    ...g: number[]
  ): void;
  avgPool(mode: number, x: number, out: number, p0: number, p1: number, ...g: number[]): void;
  adam(
    param: number,
    grad: number,
    m: number,
    v: number,
    outParam: number,
    outM: number,
    outV: number,
    n: number,
    hyper: number,
  ): void;
}

/** Which instruction set the kernels use. */
export type KernelVariant = 'simd' | 'relaxed';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  if (typeof atob === 'function') {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  throw new Error('backend-wasm: no base64 decoder (atob) in this environment');
}

const compiled = new Map<string, WebAssembly.Module | null>();

/**
 * The compiled kernels for a variant and memory kind, or null where the engine cannot run them
 * (relaxed SIMD needs Node ≥ 22 or `--experimental-wasm-relaxed-simd` on Node 20).
 */
export function kernelModule(variant: KernelVariant, shared: boolean): WebAssembly.Module | null {
  const key = `${variant}${shared ? 'Shared' : ''}`;
  if (!compiled.has(key)) {
    const bytes = decode(builds[key]!);
    compiled.set(key, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return compiled.get(key) ?? null;
}

/** Relaxed SIMD where the engine validates it, else the portable SIMD build. */
export function bestVariant(shared: boolean): KernelVariant {
  return kernelModule('relaxed', shared) ? 'relaxed' : 'simd';
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('backend-wasm: a kernel aborted');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}
