/**
 * The storage of the wasm backend: blocks of one `WebAssembly.Memory`, handed out by a
 * size-class allocator and given back when the JavaScript object that refers to them is
 * garbage-collected (a `FinalizationRegistry`), so users never dispose anything.
 *
 * A training step allocates the same sizes every time, so freed blocks are reused exactly; sizes
 * are rounded up to classes at most 1/8 apart so that near-equal sizes share blocks too.
 */

/** A tensor's storage: a block of the backend's memory. */
export class WasmData {
  /** Byte offset in the memory (0 for empty tensors, which own no block). */
  readonly ptr: number;
  /** Number of float32 elements the block was allocated for. */
  readonly length: number;
  /**
   * An untouched ArrayBuffer on one handle in every PRESSURE_CHUNK bytes allocated: engines count
   * ArrayBuffer memory in their collection heuristics, so this makes collections (and with them
   * our frees) keep pace with the wasm memory allocated, which the engine cannot see.
   */
  readonly pressure: ArrayBuffer | null;

  constructor(ptr: number, length: number, pressure: ArrayBuffer | null) {
    this.ptr = ptr;
    this.length = length;
    this.pressure = pressure;
  }
}

const PAGE = 65_536;
/**
 * Size of the pressure buffers (see `WasmData.pressure`): one per this many bytes allocated.
 * Above glibc's largest mmap threshold (32 MiB), so that each is a fresh mapping that is never
 * touched: it costs one mmap and one munmap, no memset and no resident memory.
 */
const PRESSURE_CHUNK = 33 * 1024 * 1024;

function sizeClass(bytes: number): number {
  if (bytes <= 1024) return (bytes + 63) & ~63;
  // Four steps per power of two above 1 KiB: at most 25 % slack, usually much less.
  const step = 2 ** (31 - Math.clz32(bytes - 1) - 2);
  return Math.ceil(bytes / step) * step;
}

export interface HeapStats {
  /** Bytes of the memory (grows, never shrinks). */
  memoryBytes: number;
  /** Bytes in blocks that are handed out. */
  liveBytes: number;
  /** Blocks handed out. */
  liveBlocks: number;
  /** Bytes in freed blocks waiting for reuse. */
  freeBytes: number;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  /** Size class of every live block, by offset. */
  private readonly live = new Map<number, number>();
  private liveBytes = 0;
  /** Bytes allocated since the last pressure buffer. */
  private pressureDebt = 0;
  private freeBytes = 0;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private readonly registry: FinalizationRegistry<number>;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.top = base;
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.registry = new FinalizationRegistry((ptr) => this.release(ptr));
  }

  /** A float view of the whole memory, renewed after the memory grows. */
  get f32(): Float32Array {
    if (this.f32View.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.f32View;
  }

  get i32(): Int32Array {
    if (this.i32View.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.i32View;
  }

  private refreshViews(): void {
    this.f32View = new Float32Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
  }

  /** A raw block the backend manages itself (scratch space); never freed. */
  reserve(bytes: number): number {
    return this.take(sizeClass(Math.max(bytes, 64)));
  }

  /** Storage for `length` floats, freed when the returned handle is collected. */
  alloc(length: number): WasmData {
    if (length === 0) return new WasmData(0, 0, null);
    const bytes = sizeClass(length * 4);
    const ptr = this.take(bytes);
    this.live.set(ptr, bytes);
    this.liveBytes += bytes;
    this.pressureDebt += bytes;
    let pressure: ArrayBuffer | null = null;
    if (this.pressureDebt >= PRESSURE_CHUNK) {
      this.pressureDebt -= PRESSURE_CHUNK;
      pressure = new ArrayBuffer(PRESSURE_CHUNK);
    }
    const data = new WasmData(ptr, length, pressure);
    this.registry.register(data, ptr);
    return data;
  }

  private take(bytes: number): number {
    const list = this.freeLists.get(bytes);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.freeBytes -= bytes;
      return reused;
    }
    const ptr = this.top;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least a quarter, so that a growing model does not grow the memory every step.
      const need = Math.ceil((end - have) / PAGE);
      const pages = Math.max(need, Math.ceil(have / PAGE / 4));
      try {
        this.memory.grow(pages);
      } catch {
        this.memory.grow(need);
      }
    }
    this.top = end;
    return ptr;
  }

  private release(ptr: number): void {
    const bytes = this.live.get(ptr);
    if (bytes === undefined) return;
    this.live.delete(ptr);
    this.liveBytes -= bytes;
    this.freeBytes += bytes;
    let list = this.freeLists.get(bytes);
    if (!list) {
      list = [];
      this.freeLists.set(bytes, list);
    }
    list.push(ptr);
  }

  stats(): HeapStats {
    return {
      memoryBytes: this.memory.buffer.byteLength,
      liveBytes: this.liveBytes,
      liveBlocks: this.live.size,
      freeBytes: this.freeBytes,
    };
  }
}
