import {
  type Backend,
  BINARY_OPS,
  type BinaryOp,
  type GatherSpec,
  type MatmulSpec,
  REDUCE_OPS,
  type ReduceOp,
  type Shape,
  sizeOf,
  stridesOf,
  UNARY_OPS,
  type UnaryOp,
  type WindowGeometry,
} from '@scratchnet/tensor';
import { writeGeometry } from './geometry.js';
import { Heap, type HeapOptions, type HeapStats, type WasmData } from './heap.js';
import {
  bestVariant,
  instantiate,
  type KernelExports,
  type KernelVariant,
  kernelModule,
} from './kernels.js';
import type { Platform } from './platform.js';
import { CONTROL_SLOTS, type PoolKernel, WorkerPool } from './pool.js';

/** The kernels' op code of each name: its index in the tensor core's vocabulary. */
const codesOf = <Op extends string>(ops: readonly Op[]) =>
  Object.fromEntries(ops.map((op, code) => [op, code])) as Record<Op, number>;
const UNARY_CODES = codesOf<UnaryOp>(UNARY_OPS);
const BINARY_CODES = codesOf<BinaryOp>(BINARY_OPS);
const REDUCE_CODES = codesOf<ReduceOp>(REDUCE_OPS);

/**
 * Merges neighbouring axes that every operand walks contiguously ([100, 30, 24, 24] with a
 * [30, 1, 1] bias becomes [100, 30, 576]), so the kernels' inner loops are long. Each row of
 * `dims` is [size, stride per operand…]; size-1 axes are dropped.
 */
function coalesce(dims: number[][]): number[][] {
  const out: number[][] = [];
  for (const dim of dims) {
    if (dim[0] === 1) continue;
    const prev = out[out.length - 1];
    if (prev && dim.every((s, i) => i === 0 || prev[i] === s * dim[0]!)) {
      const merged = [prev[0]! * dim[0]!, ...dim.slice(1)];
      out[out.length - 1] = merged;
    } else {
      out.push([...dim]);
    }
  }
  return out;
}

/** Options of `createWasmBackend` (and `initWasmBackend`). */
export interface WasmBackendOptions extends HeapOptions {
  /** Threads in all, the calling thread included (default 1). More than 1 needs SharedArrayBuffer. */
  threads?: number;
  /** 'simd' or 'relaxed'; by default relaxed SIMD where the engine supports it. */
  variant?: KernelVariant;
  /** How long idle workers spin before they sleep, in milliseconds (default 1). */
  spinMs?: number;
  /**
   * Work below which a kernel stays on the calling thread: multiply-adds for GEMM, elements for
   * the window kernels. The defaults suit training; tests set 0 to split even tiny calls.
   */
  minParallelWork?: {
    /** Multiply-adds of a matrix product. */
    gemm?: number;
    /** Output elements of a convolution or pooling kernel. */
    window?: number;
    /** Elements of an elementwise op. */
    elementwise?: number;
  };
}

/** The wasm backend: the `Backend` operations on WebAssembly SIMD kernels, and its own controls. */
export interface WasmBackend extends Backend<WasmData> {
  /** Threads in use, the calling thread included (1 where SharedArrayBuffer is unavailable). */
  readonly threads: number;
  /** The kernels in use: plain or relaxed SIMD. */
  readonly variant: KernelVariant;
  /** Memory in use, for tests and diagnostics. */
  stats(): HeapStats;
  /** Stops the workers; the backend must not be used afterwards. */
  close(): Promise<void>;
}

const SCRATCH_BYTES = 4096;
/** Below this many input or output channels a 3×3 convolution goes through columns, not Winograd. */
const WINOGRAD_MIN_CHANNELS = 8;

/**
 * Creates a wasm backend on `platform` (Node's worker_threads or the browser's Web Workers; the
 * package's entry points pass theirs). Not registered: see `initWasmBackend`.
 */
export async function createWasmBackendOn(
  platform: Platform,
  options: WasmBackendOptions = {},
): Promise<WasmBackend> {
  const requested = Math.max(1, Math.floor(options.threads ?? 1));
  const canShare = typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined';
  const threads = canShare ? requested : 1;
  const shared = threads > 1;
  const variant = options.variant ?? bestVariant(shared);
  platform.explain({
    requestedThreads: requested,
    threads,
    relaxedUnavailable: options.variant === undefined && variant !== 'relaxed',
  });
  const module = kernelModule(variant, shared);
  if (!module) throw new Error(`backend-wasm: this engine cannot run the ${variant} kernels`);
  const memory = new WebAssembly.Memory(
    shared ? { initial: 256, maximum: 65_536, shared: true } : { initial: 256, maximum: 65_536 },
  );
  const k: KernelExports = instantiate(module, memory);
  const heap = new Heap(memory, k.heapBase(), options);
  // One block per thread for the kernels' dims and odometers; the calling thread's also holds a
  // call's geometry struct (see `geometry`) and Adam's hyperparameters.
  const scratches = Array.from({ length: threads }, () => heap.reserve(SCRATCH_BYTES));
  const scratch = scratches[0]!;
  const gemmScratch = Array.from({ length: threads }, () => heap.reserve(k.gemmScratchBytes()));
  const control = shared ? heap.reserve(threads * CONTROL_SLOTS * 4) : 0;
  const pool = shared
    ? await WorkerPool.start(
        module,
        memory,
        control,
        threads - 1,
        platform.startWorker,
        options.spinMs ?? 1,
      )
    : null;

  const alloc = (length: number) => heap.alloc(length);
  /** The resident block of storage allocated by the current operation. */
  const ptrOf = (data: WasmData) => data.cell.ptr;
  const PARALLEL_GEMM_MACS = options.minParallelWork?.gemm ?? 1 << 17;
  const PARALLEL_WINDOW_ELEMENTS = options.minParallelWork?.window ?? 1 << 15;
  const PARALLEL_ELEMENTWISE = options.minParallelWork?.elementwise ?? 1 << 16;

  /** Writes rows of int32 into a thread's scratch block and returns its address. */
  const writeDims = (dims: number[][], thread = 0): number => {
    const i32 = heap.i32;
    const block = scratches[thread]!;
    let at = block >> 2;
    for (const row of dims) for (const v of row) i32[at++] = v;
    return block;
  };

  /**
   * An elementwise kernel over coalesced `dims` (rows [size, stride per input…]) and a contiguous
   * output, split along the first axis between the threads when it is big enough.
   */
  const elementwise = (
    kernel: 'binary',
    code: number,
    inputs: readonly number[],
    out: number,
    dims: number[][],
    size: number,
  ): void => {
    const first = dims[0]?.[0] ?? 1;
    const parts = pool && size >= PARALLEL_ELEMENTWISE ? Math.min(threads, first) : 1;
    if (parts <= 1) {
      k.binary(code, inputs[0]!, inputs[1]!, out, dims.length, writeDims(dims));
      return;
    }
    const outStride = size / first;
    const chunk = Math.ceil(first / parts);
    for (let t = parts - 1; t >= 0; t--) {
      const begin = t * chunk;
      const end = Math.min(first, begin + chunk);
      if (begin >= end) continue;
      const part = [[end - begin, ...dims[0]!.slice(1)], ...dims.slice(1)];
      const args = [
        code,
        ...inputs.map((p, i) => p + 4 * begin * dims[0]![i + 1]!),
        out + 4 * begin * outStride,
        part.length,
        writeDims(part, t),
      ];
      if (t === 0) (k[kernel] as (...x: number[]) => void)(...args);
      else pool!.post(t - 1, kernel, args);
    }
    pool!.wait();
  };

  /** Runs `share(begin, end)` over [0, total) split in `threads` parts, in parallel. */
  const parallelFor = (
    kernel: PoolKernel,
    total: number,
    args: (begin: number, end: number) => number[],
    own: (args: number[]) => void,
  ): void => {
    const parts = pool && total > 1 ? Math.min(threads, total) : 1;
    if (parts === 1) {
      own(args(0, total));
      return;
    }
    const chunk = Math.ceil(total / parts);
    for (let t = 1; t < parts; t++) {
      const begin = t * chunk;
      const end = Math.min(total, begin + chunk);
      if (begin < end) pool!.post(t - 1, kernel, args(begin, end));
    }
    own(args(0, Math.min(total, chunk)));
    pool!.wait();
  };

  /**
   * Blocks for a sum split among the threads: thread 0 writes into `first`, the others into
   * temporary blocks of `size` floats, which `addUp` adds into `first` and frees.
   */
  const threadSums = (first: number, size: number) => {
    const partials: WasmData[] = [];
    return {
      target(t: number): number {
        if (t === 0) return first;
        const partial = alloc(size);
        partials.push(partial);
        return ptrOf(partial);
      },
      addUp(): void {
        for (const partial of partials) {
          k.addInto(first, ptrOf(partial), size);
          heap.free(partial);
        }
      },
    };
  };

  /** One GEMM, split over the threads along M, N or (for the weight-gradient shape) K. */
  const gemm = (
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    kk: number,
    transA: boolean,
    transB: boolean,
  ): void => {
    const lda = transA ? m : kk;
    const ldb = transB ? kk : n;
    const tA = transA ? 1 : 0;
    const tB = transB ? 1 : 0;
    const macs = m * n * kk;
    if (!pool || macs < PARALLEL_GEMM_MACS) {
      k.gemm(a, b, c, m, n, kk, lda, ldb, n, tA, tB, 0, gemmScratch[0]!);
      return;
    }
    // Runs one block of C per thread (the calling thread takes block 0): `part(t)` gives thread
    // t's operand and output offsets and its rows and columns of C, or null when it has none.
    const runParts = (
      part: (t: number) => { a: number; b: number; c: number; rows: number; cols: number } | null,
    ) => {
      for (let t = threads - 1; t >= 0; t--) {
        const p = part(t);
        if (!p) continue;
        const args = [p.a, p.b, p.c, p.rows, p.cols, kk, lda, ldb, n, tA, tB, 0, gemmScratch[t]!];
        if (t === 0) (k.gemm as (...x: number[]) => void)(...args);
        else pool.post(t - 1, 'gemm', args);
      }
      pool.wait();
    };
    // Each thread packs its share of one operand and all of the other, so the split goes along
    // the larger of M and N (an affine layer's 100 × 4320 gradients split by columns).
    if (m >= 4 * threads && (m >= n || n < 8 * threads)) {
      // Rows of C: each thread its own band of op(A) and of C.
      const chunk = Math.ceil(m / threads / 4) * 4;
      runParts((t) => {
        const i0 = t * chunk;
        const rows = Math.min(m, i0 + chunk) - i0;
        if (rows <= 0) return null;
        return { a: a + 4 * (transA ? i0 : i0 * lda), b, c: c + 4 * i0 * n, rows, cols: n };
      });
      return;
    }
    if (n >= 8 * threads) {
      // Columns of C: each thread its own band of op(B) and of C.
      const chunk = Math.ceil(n / threads / 8) * 8;
      runParts((t) => {
        const j0 = t * chunk;
        const cols = Math.min(n, j0 + chunk) - j0;
        if (cols <= 0) return null;
        return { a, b: b + 4 * (transB ? j0 * ldb : j0), c: c + 4 * j0, rows: m, cols };
      });
      return;
    }
    // Small C, long K (a weight gradient: M = C·KH·KW, N = filters, K = batch·OH·OW): each
    // thread multiplies a slice of K into its own C, and the partial products are added.
    const chunk = Math.ceil(kk / threads);
    const sums = threadSums(c, m * n);
    for (let t = threads - 1; t >= 0; t--) {
      const k0 = t * chunk;
      const depth = Math.min(kk, k0 + chunk) - k0;
      const args = [
        a + 4 * (transA ? k0 * lda : k0),
        b + 4 * (transB ? k0 : k0 * ldb),
        sums.target(t),
        m,
        n,
        Math.max(depth, 0),
        lda,
        ldb,
        n,
        tA,
        tB,
        0,
        gemmScratch[t]!,
      ];
      if (t === 0) (k.gemm as (...x: number[]) => void)(...args);
      else pool.post(t - 1, 'gemm', args);
    }
    pool.wait();
    sums.addUp();
  };

  /**
   * Writes `g` as the window and convolution kernels' geometry struct into the calling thread's
   * scratch block and returns its address; the workers read the same struct. Written once per
   * call, before any share of the kernel is posted.
   */
  const geometry = (g: WindowGeometry) => writeGeometry(heap.i32, scratch, g);

  /** Copies `x` (shape `shape`, contiguous) into `out` at `corner` of an `outShape` array. */
  const place = (
    x: number,
    shape: Shape,
    out: number,
    outShape: Shape,
    corner: readonly number[],
  ) => {
    if (sizeOf(shape) === 0) return;
    const own = stridesOf(shape);
    const outStrides = stridesOf(outShape);
    let offset = 0;
    corner.forEach((c, i) => {
      offset += c * outStrides[i]!;
    });
    const dims = coalesce(shape.map((d, i) => [d, own[i]!, outStrides[i]!]));
    k.stridedCopy(x, out + 4 * offset, dims.length, writeDims(dims));
  };

  /**
   * A sliding-window kernel (im2col, col2im, pooling and their gradients): allocates the output
   * (zeroed first when the kernel adds into it) and, when the work is large enough, splits the
   * `units` (images or planes) among the threads. `args` gets the output's pointer and a range
   * of units.
   */
  const windowKernel = (
    kernel: 'im2col' | 'col2im' | 'maxPool' | 'avgPool',
    outLength: number,
    { units, work, zeroed }: { units: number; work: number; zeroed: boolean },
    args: (out: number, begin: number, end: number) => number[],
  ): WasmData => {
    const out = alloc(outLength);
    if (out.length === 0) return out;
    if (zeroed) k.fill(ptrOf(out), out.length, 0);
    const big = work >= PARALLEL_WINDOW_ELEMENTS;
    parallelFor(
      kernel,
      big ? units : 1,
      (begin, end) => args(ptrOf(out), big ? begin : 0, big ? end : units),
      (a) => (k[kernel] as (...x: number[]) => void)(...a),
    );
    return out;
  };

  /**
   * A convolution kernel over the batch, split by images among the threads; each thread gets
   * its own block for a chunk of one image's columns (see `convChunkRows`) and its GEMM scratch.
   * `args(t, b0, b1, cols)` are thread t's arguments.
   */
  const convolution = (
    kernel:
      | 'conv2dForward'
      | 'conv2dInputGrad'
      | 'conv2dFilterGrad'
      | 'conv2dWinograd'
      | 'conv2dWinogradFilterGrad',
    g: WindowGeometry,
    outC: number,
    args: (t: number, b0: number, b1: number, work: number) => number[],
    workFloats = g.c * g.kh * g.kw * k.convChunkRows(g.c * g.kh * g.kw, g.outH, g.outW) * g.outW,
  ): void => {
    const macs = g.n * outC * g.c * g.kh * g.kw * g.outH * g.outW;
    const parts = pool && macs >= PARALLEL_GEMM_MACS ? Math.min(threads, g.n) : 1;
    const work = alloc(parts * workFloats);
    const chunk = Math.ceil(g.n / parts);
    for (let t = parts - 1; t >= 0; t--) {
      const b0 = Math.min(g.n, t * chunk);
      const b1 = Math.min(g.n, b0 + chunk);
      const a = args(t, b0, b1, ptrOf(work) + 4 * t * workFloats);
      if (t === 0) (k[kernel] as (...x: number[]) => void)(...a);
      else pool!.post(t - 1, kernel, a);
    }
    if (parts > 1) pool!.wait();
    heap.free(work);
  };

  /**
   * Winograd F(2×2, 3×3) suits 3×3 filters with stride 1 and padding up to 2 (which the input
   * gradient turns into 2 − padding), once both channel counts are large enough for its 16 GEMMs
   * (their depth is the input channel count).
   */
  const winogradFits = (g: WindowGeometry, outC: number) =>
    g.kh === 3 &&
    g.kw === 3 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.padH === g.padW &&
    g.padH <= 2 &&
    Math.min(g.c, outC) >= WINOGRAD_MIN_CHANNELS;

  /**
   * A Winograd convolution of `x` ([n, c, h, w]) into `out` ([n, outC, h + 2·pad − 2, …]), split
   * by images among the threads. `weight` holds conv2d's filters: [outC, c, 3, 3], or with `flip`
   * [c, outC, 3, 3] used turned by 180° (the input gradient, where this convolution's input is
   * conv2d's output gradient).
   */
  const winograd = (
    x: number,
    weight: number,
    flip: boolean,
    bias: number,
    out: number,
    n: number,
    c: number,
    h: number,
    w: number,
    pad: number,
    outC: number,
  ): void => {
    const outH = h + 2 * pad - 2;
    const outW = w + 2 * pad - 2;
    const u = alloc(16 * outC * c);
    k.winogradFilters(weight, ptrOf(u), flip ? c : outC, flip ? outC : c, flip ? 1 : 0);
    const g: WindowGeometry = {
      n,
      c,
      h,
      w,
      kh: 3,
      kw: 3,
      strideH: 1,
      strideW: 1,
      padH: pad,
      padW: pad,
      outH,
      outW,
    };
    convolution(
      'conv2dWinograd',
      g,
      outC,
      (t, b0, b1, work) => [
        x,
        ptrOf(u),
        bias,
        bias ? 1 : 0,
        out,
        b0,
        b1,
        outC,
        work,
        gemmScratch[t]!,
        c,
        h,
        w,
        pad,
        outH,
        outW,
      ],
      k.winogradScratchFloats(c, outC, h, w, pad, outH, outW),
    );
    heap.free(u);
  };

  /**
   * The weight gradient by Winograd: each thread sums its images' 16 products into its own
   * [16, outC, C] block; the blocks are added, then transformed back to [outC, C, 3, 3].
   */
  const winogradFilterGrad = (
    x: number,
    dy: number,
    out: number,
    g: WindowGeometry,
    outC: number,
  ): void => {
    const size = 16 * outC * g.c;
    const total = alloc(size);
    const sums = threadSums(ptrOf(total), size);
    convolution(
      'conv2dWinogradFilterGrad',
      g,
      outC,
      (t, b0, b1, work) => [
        x,
        dy,
        sums.target(t),
        b0,
        b1,
        outC,
        0,
        work,
        gemmScratch[t]!,
        g.c,
        g.h,
        g.w,
        g.padH,
        g.outH,
        g.outW,
      ],
      k.winogradFilterGradScratchFloats(g.c, outC, g.h, g.w, g.padH, g.outH, g.outW),
    );
    sums.addUp();
    k.winogradFilterGradients(ptrOf(total), out, outC, g.c);
    heap.free(total);
  };

  const backend: WasmBackend = {
    name: 'wasm',
    threads,
    variant,
    stats: () => heap.stats(),
    close: async () => {
      await pool?.stop();
    },

    upload(values) {
      heap.begin('upload');
      return heap.upload(values);
    },
    read(data, size) {
      return heap.read(data, size);
    },
    readAsync(data, size) {
      // Copied now, not when the promise settles: by then the handle may have been collected
      // and its block reused by a later op.
      return Promise.resolve(heap.read(data, size));
    },
    fill(size, value) {
      heap.begin('fill');
      const out = alloc(size);
      if (size > 0) k.fill(ptrOf(out), size, value);
      return out;
    },

    unary(op, x, size) {
      heap.begin(op);
      const xp = heap.use(x);
      const out = alloc(size);
      if (size === 0) return out;
      const code = UNARY_CODES[op];
      const parts = pool && size >= PARALLEL_ELEMENTWISE ? threads : 1;
      parallelFor(
        'unary',
        parts,
        (t0, t1) => {
          const chunk = Math.ceil(size / parts / 16) * 16;
          const begin = Math.min(size, t0 * chunk);
          const end = Math.min(size, t1 * chunk);
          return [code, xp + 4 * begin, ptrOf(out) + 4 * begin, end - begin];
        },
        (args) => (k.unary as (...x: number[]) => void)(...args),
      );
      return out;
    },

    binary(op, a, b, { outShape, aStrides, bStrides }) {
      heap.begin(op);
      const ap = heap.use(a);
      const bp = heap.use(b);
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      const dims = coalesce(outShape.map((d, i) => [d, aStrides[i]!, bStrides[i]!]));
      elementwise('binary', BINARY_CODES[op], [ap, bp], ptrOf(out), dims, size);
      return out;
    },

    reduce(op: ReduceOp, x, shape, axes) {
      heap.begin(op);
      const xp = heap.use(x);
      const outShape = shape.filter((_, i) => !axes.includes(i));
      const outSize = sizeOf(outShape);
      const out = alloc(outSize);
      if (op === 'argmax' || op === 'argmin') {
        const axis = axes[0]!;
        const len = shape[axis]!;
        const inner = sizeOf(shape.slice(axis + 1));
        const outer = sizeOf(shape.slice(0, axis));
        if (outSize > 0) {
          if (len === 0) k.fill(ptrOf(out), outSize, 0);
          else k.argReduce(op === 'argmax' ? 1 : 0, xp, ptrOf(out), outer, len, inner);
        }
        return out;
      }
      if (outSize === 0) return out;
      k.fill(ptrOf(out), outSize, op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
      if (sizeOf(shape) === 0) return out;
      const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const own = stridesOf(kept);
      const outStrides = shape.map((_, d) => (axes.includes(d) ? 0 : own[d]!));
      const dims = coalesce(shape.map((d, i) => [d, outStrides[i]!]));
      if (dims.length === 0) dims.push([1, 0]);
      k.reduce(REDUCE_CODES[op], xp, ptrOf(out), dims.length, writeDims(dims));
      return out;
    },

    matmul(a, b, spec: MatmulSpec) {
      heap.begin('matmul');
      const ap = heap.use(a);
      const bp = heap.use(b);
      const { batch, m, k: depth, n, transA, transB } = spec;
      const out = alloc(batch * m * n);
      if (batch * m * n === 0) return out;
      const cp = ptrOf(out);
      for (let i = 0; i < batch; i++) {
        gemm(
          ap + 4 * (spec.broadcastA ? 0 : i * m * depth),
          bp + 4 * (spec.broadcastB ? 0 : i * depth * n),
          cp + 4 * i * m * n,
          m,
          n,
          depth,
          transA,
          transB,
        );
      }
      return out;
    },

    gather(x, spec: GatherSpec) {
      heap.begin('gather');
      const xp = heap.use(x);
      const { outShape, strides, offset } = spec;
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      const own = stridesOf(outShape);
      const dims = coalesce(outShape.map((d, i) => [d, strides[i]!, own[i]!]));
      k.stridedCopy(xp + 4 * offset, ptrOf(out), dims.length, writeDims(dims));
      return out;
    },

    pad(x, shape, pads, value) {
      heap.begin('pad');
      const xp = heap.use(x);
      const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
      const size = sizeOf(outShape);
      const out = alloc(size);
      if (size === 0) return out;
      k.fill(ptrOf(out), size, value);
      place(
        xp,
        shape,
        ptrOf(out),
        outShape,
        pads.map((p) => p[0]),
      );
      return out;
    },

    concat(xs, shapes, axis) {
      heap.begin('concat');
      const ptrs = xs.map((x) => heap.use(x));
      const outShape = [...shapes[0]!];
      outShape[axis] = shapes.reduce((total, s) => total + s[axis]!, 0);
      const out = alloc(sizeOf(outShape));
      const corner = new Array<number>(outShape.length).fill(0);
      ptrs.forEach((x, i) => {
        place(x, shapes[i]!, ptrOf(out), outShape, corner);
        corner[axis]! += shapes[i]![axis]!;
      });
      return out;
    },

    im2col(x, g) {
      heap.begin('im2col');
      const xp = heap.use(x);
      const size = g.n * g.outH * g.outW * g.c * g.kh * g.kw;
      const gp = geometry(g);
      return windowKernel(
        'im2col',
        size,
        { units: g.n, work: size, zeroed: false },
        (out, b0, b1) => [xp, out, b0, b1, gp],
      );
    },

    col2im(cols, g) {
      heap.begin('col2im');
      const colsp = heap.use(cols);
      const size = g.n * g.c * g.h * g.w;
      const gp = geometry(g);
      return windowKernel(
        'col2im',
        size,
        { units: g.n, work: cols.length, zeroed: true },
        (out, b0, b1) => [colsp, out, b0, b1, gp],
      );
    },

    conv2d(x, w, bias, g, outC) {
      heap.begin('conv2d');
      const xp = heap.use(x);
      const wp = heap.use(w);
      const bp = bias ? heap.use(bias) : 0;
      const out = alloc(g.n * outC * g.outH * g.outW);
      if (out.length === 0) return out;
      if (winogradFits(g, outC)) {
        winograd(xp, wp, false, bp, ptrOf(out), g.n, g.c, g.h, g.w, g.padH, outC);
        return out;
      }
      const gp = geometry(g);
      convolution('conv2dForward', g, outC, (t, b0, b1, cols) => [
        xp,
        wp,
        bp,
        bias ? 1 : 0,
        ptrOf(out),
        b0,
        b1,
        outC,
        cols,
        gemmScratch[t]!,
        gp,
      ]);
      return out;
    },
    conv2dInputGrad(dy, w, g, outC) {
      heap.begin('conv2dInputGrad');
      const dyp = heap.use(dy);
      const wp = heap.use(w);
      const out = alloc(g.n * g.c * g.h * g.w);
      if (out.length === 0) return out;
      if (winogradFits(g, outC)) {
        // dx is dy convolved with the filters turned by 180°, channels swapped, padding 2 − p.
        winograd(dyp, wp, true, 0, ptrOf(out), g.n, outC, g.outH, g.outW, 2 - g.padH, g.c);
        return out;
      }
      const gp = geometry(g);
      convolution('conv2dInputGrad', g, outC, (t, b0, b1, cols) => [
        dyp,
        wp,
        ptrOf(out),
        b0,
        b1,
        outC,
        cols,
        gemmScratch[t]!,
        gp,
      ]);
      return out;
    },
    conv2dFilterGrad(x, dy, g, outC) {
      heap.begin('conv2dFilterGrad');
      const xp = heap.use(x);
      const dyp = heap.use(dy);
      const size = outC * g.c * g.kh * g.kw;
      const out = alloc(size);
      if (size === 0) return out;
      if (winogradFits(g, outC)) {
        winogradFilterGrad(xp, dyp, ptrOf(out), g, outC);
        return out;
      }
      // Each thread sums its images' products into its own block; the blocks are added at the end.
      const sums = threadSums(ptrOf(out), size);
      const gp = geometry(g);
      convolution('conv2dFilterGrad', g, outC, (t, b0, b1, cols) => [
        xp,
        dyp,
        sums.target(t),
        b0,
        b1,
        outC,
        0,
        cols,
        gemmScratch[t]!,
        gp,
      ]);
      sums.addUp();
      return out;
    },
    maxPool2d(x, g) {
      heap.begin('maxPool2d');
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      return windowKernel(
        'maxPool',
        planes * g.outH * g.outW,
        { units: planes, work: x.length, zeroed: false },
        (out, p0, p1) => [0, xp, 0, out, p0, p1, gp],
      );
    },

    maxPool2dBackward(dy, x, g) {
      heap.begin('maxPool2dBackward');
      const dyp = heap.use(dy);
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      return windowKernel(
        'maxPool',
        planes * g.h * g.w,
        { units: planes, work: x.length, zeroed: true },
        (out, p0, p1) => [1, xp, dyp, out, p0, p1, gp],
      );
    },

    avgPool2d(x, g) {
      heap.begin('avgPool2d');
      const xp = heap.use(x);
      const planes = g.n * g.c;
      const gp = geometry(g);
      return windowKernel(
        'avgPool',
        planes * g.outH * g.outW,
        { units: planes, work: x.length, zeroed: false },
        (out, p0, p1) => [0, xp, out, p0, p1, gp],
      );
    },

    adamStep(param, grad, m, v, size, spec) {
      heap.begin('adamStep');
      const pp = heap.use(param);
      const gp = heap.use(grad);
      const mp = heap.use(m);
      const vp = heap.use(v);
      const outs = [alloc(size), alloc(size), alloc(size)] as [WasmData, WasmData, WasmData];
      if (size === 0) return outs;
      const hyper = scratch;
      heap.f32.set(
        [
          spec.beta1,
          1 - spec.beta1,
          spec.beta2,
          1 - spec.beta2,
          spec.correction1,
          spec.correction2,
          spec.lr,
          spec.eps,
        ],
        hyper >> 2,
      );
      const [op, om, ov] = outs.map(ptrOf) as [number, number, number];
      const parts = pool && size >= PARALLEL_ELEMENTWISE ? threads : 1;
      parallelFor(
        'adam',
        parts,
        (t0, t1) => {
          const chunk = Math.ceil(size / parts / 16) * 16;
          const begin = Math.min(size, t0 * chunk);
          const n = Math.min(size, t1 * chunk) - begin;
          const at = 4 * begin;
          return [pp + at, gp + at, mp + at, vp + at, op + at, om + at, ov + at, n, hyper];
        },
        (args) => (k.adam as (...x: number[]) => void)(...args),
      );
      return outs;
    },

    avgPool2dBackward(dy, g) {
      heap.begin('avgPool2dBackward');
      const dyp = heap.use(dy);
      const planes = g.n * g.c;
      const size = planes * g.h * g.w;
      const gp = geometry(g);
      return windowKernel(
        'avgPool',
        size,
        { units: planes, work: size, zeroed: true },
        (out, p0, p1) => [1, out, dyp, p0, p1, gp],
      );
    },
  };
  return backend;
}
