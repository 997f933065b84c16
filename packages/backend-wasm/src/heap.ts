/**
 * The storage of the wasm backend. The tensor core frees each buffer when its last tensor lets go
 * (`dispose`, below), so the library's own loops allocate and free the same blocks every step.
 * What follows are the safety nets for tensors a user drops without disposing, counted in
 * `stats()` (`finalized`, `evictions`) so that tests can check the library never needs them.
 *
 * A tensor's storage is a handle (`WasmData`) that points at a `Cell`. A cell holds the values
 * in one of two places, or both (tensors are immutable, so the copies never disagree):
 * - resident: a block of the backend's `WebAssembly.Memory`, where the kernels read and write;
 * - evicted: a JavaScript `Float32Array`, managed by the engine's garbage collector.
 *
 * Resident blocks are freed when their handle is collected (a `FinalizationRegistry`). Finalizers
 * only run between tasks, though, so a synchronous loop would otherwise grow the memory without
 * bound. Hence a resident budget: when the resident bytes would exceed it, the least recently
 * used cells not needed by the current kernel are evicted — copied out to a `Float32Array` (the
 * copy is skipped when the cell already has one) — and their blocks reused at once. An evicted
 * cell is referenced by its handle only, so if the handle is garbage, the copy is collected by the
 * engine during the synchronous loop too; if the handle is alive and used again, the cell is
 * copied back in. No `WeakRef` is involved: creating or dereferencing one pins its target until
 * the end of the current job, which is exactly what a synchronous loop must avoid.
 *
 * Blocks come from a size-class allocator (a training step allocates the same sizes every time,
 * so freed blocks are reused exactly). If the memory would grow past its limit, the heap is
 * compacted: every cell the current kernel does not need is evicted and the free space around
 * the remaining blocks is merged.
 */

/** Where a tensor's values are; see the file comment. */
export class Cell {
  /** Byte offset of the resident block, or 0 if not resident (or empty). */
  ptr = 0;
  /** Size class of the resident block, in bytes. */
  bytes = 0;
  /** The values outside wasm memory (set on eviction; kept while resident again). */
  js: Float32Array | null = null;
  /** The operation that last needed this cell resident: not evictable during that operation. */
  pin = 0;
  /** Freed by `dispose`: its values are gone for good, and using it is an error. */
  disposed = false;
  readonly length: number;

  constructor(length: number) {
    this.length = length;
  }
}

/** A tensor's storage. */
export class WasmData {
  /** Number of float32 elements. */
  readonly length: number;
  /** @internal */
  readonly cell: Cell;
  /**
   * An untouched ArrayBuffer on one handle in every PRESSURE_CHUNK bytes allocated: engines count
   * ArrayBuffer memory in their collection heuristics, so this makes collections (and with them
   * our frees) keep pace with the wasm memory allocated, which the engine cannot see.
   */
  readonly pressure: ArrayBuffer | null;

  /** @internal Handles are made by the backend's heap, never by users. */
  constructor(cell: Cell, pressure: ArrayBuffer | null) {
    this.cell = cell;
    this.length = cell.length;
    this.pressure = pressure;
  }
}

const PAGE = 65_536;
const MiB = 2 ** 20;
/** The most a 32-bit memory can have. */
const MAX_MEMORY = 65_536 * PAGE;
/**
 * Size of the pressure buffers (see `WasmData.pressure`): one per this many bytes allocated.
 * Above glibc's largest mmap threshold (32 MiB), so that each is a fresh mapping that is never
 * touched: it costs one mmap and one munmap, no memset and no resident memory.
 */
const PRESSURE_CHUNK = 33 * MiB;

function sizeClass(bytes: number): number {
  if (bytes > 2 ** 31) return Math.ceil(bytes / 2 ** 29) * 2 ** 29;
  if (bytes <= 1024) return (bytes + 63) & ~63;
  // Four steps per power of two above 1 KiB: at most 25 % slack, usually much less.
  const step = 2 ** (31 - Math.clz32(bytes - 1) - 2);
  return Math.ceil(bytes / step) * step;
}

const formatBytes = (bytes: number) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;

/** How much memory the wasm backend keeps for tensors: see `WasmBackendOptions`. */
export interface HeapOptions {
  /**
   * Bytes of tensor storage kept in wasm memory (default 1 GiB: a DeepConvNet training step of
   * batch 100 needs about 850 MiB); beyond it, the least recently
   * used tensors move to JavaScript arrays until a kernel needs them again.
   */
  residentBytes?: number;
  /**
   * Size the memory may grow to before the heap is compacted (default residentBytes + 256 MiB).
   * A single operation that needs more still gets it, up to the 4 GiB of a 32-bit memory.
   */
  memoryLimit?: number;
}

/** The wasm backend's memory use, from `WasmBackend.stats()`. */
export interface HeapStats {
  /** Bytes of the memory (grows, never shrinks). */
  memoryBytes: number;
  /** Bytes in resident blocks. */
  liveBytes: number;
  /** Resident blocks. */
  liveBlocks: number;
  /** Bytes in freed blocks waiting for reuse. */
  freeBytes: number;
  /** Blocks freed by `dispose` (the tensor core letting go of a buffer), since creation. */
  disposed: number;
  /**
   * Blocks freed by the garbage collector's finalizer because their handle was dropped without
   * `dispose`, since creation: the safety net, which the library's own loops never need.
   */
  finalized: number;
  /** Cells moved out of wasm memory to stay within the resident budget, since creation. */
  evictions: number;
  /** Bytes copied out by those evictions. */
  evictedBytes: number;
  /** Times the heap was compacted. */
  compactions: number;
}

/** A free stretch of memory outside the size classes (left by compaction). */
interface Range {
  ptr: number;
  bytes: number;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  /** End of the reserved (never freed) blocks: compaction never goes below it. */
  private floor: number;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private ranges: Range[] = [];
  /** Resident cells, least recently used first (a Set iterates in insertion order). */
  private readonly resident = new Set<Cell>();
  private liveBytes = 0;
  private freeBytes = 0;
  private pressureDebt = 0;
  private readonly budget: number;
  private readonly limit: number;
  /** The current operation (see `begin`). */
  private op = 1;
  private opName = 'upload';
  private evictions = 0;
  private disposedBlocks = 0;
  private finalizedBlocks = 0;
  private evictedBytes = 0;
  private compactions = 0;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private readonly registry: FinalizationRegistry<Cell>;

  constructor(memory: WebAssembly.Memory, base: number, options: HeapOptions = {}) {
    this.memory = memory;
    this.floor = base;
    this.top = base;
    this.budget = Math.max(options.residentBytes ?? 1024 * MiB, 64 * 1024);
    this.limit = Math.min(MAX_MEMORY, options.memoryLimit ?? this.budget + 256 * MiB);
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.registry = new FinalizationRegistry((cell) => {
      if (cell.ptr !== 0) this.finalizedBlocks++;
      this.release(cell);
    });
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

  /** A raw block the backend manages itself (scratch space); never freed. Call before `alloc`. */
  reserve(bytes: number): number {
    const ptr = this.take(sizeClass(Math.max(bytes, 64)));
    this.floor = Math.max(this.floor, this.top);
    return ptr;
  }

  /**
   * Starts an operation: the blocks it makes resident (its inputs, `use`) and allocates (its
   * outputs, `alloc`) stay in place until the next `begin`. `name` goes into error messages.
   */
  begin(name: string): void {
    this.op++;
    this.opName = name;
  }

  /** Storage for `length` floats, resident, freed when the returned handle is collected. */
  alloc(length: number): WasmData {
    const cell = new Cell(length);
    if (length === 0) return new WasmData(cell, null);
    const bytes = sizeClass(length * 4);
    this.place(cell, bytes);
    this.pressureDebt += bytes;
    let pressure: ArrayBuffer | null = null;
    if (this.pressureDebt >= PRESSURE_CHUNK) {
      this.pressureDebt -= PRESSURE_CHUNK;
      pressure = new ArrayBuffer(PRESSURE_CHUNK);
    }
    const data = new WasmData(cell, pressure);
    this.registry.register(data, cell, cell);
    return data;
  }

  /** Storage from values (copied). */
  upload(values: Float32Array): WasmData {
    const data = this.alloc(values.length);
    if (values.length > 0) this.f32.set(values, data.cell.ptr >> 2);
    return data;
  }

  /**
   * The byte offset of `data`'s values in wasm memory, copying them back in if they were
   * evicted; they stay there until the current operation ends.
   */
  use(data: WasmData): number {
    const cell = data.cell;
    if (cell.disposed) this.usedAfterDispose(cell);
    if (cell.length === 0) return 0;
    cell.pin = this.op;
    if (cell.ptr !== 0) {
      // Most recently used goes last.
      this.resident.delete(cell);
      this.resident.add(cell);
      return cell.ptr;
    }
    this.place(cell, sizeClass(cell.length * 4));
    this.f32.set(cell.js!, cell.ptr >> 2);
    this.registry.register(data, cell, cell);
    return cell.ptr;
  }

  /** A copy of the values. */
  read(data: WasmData, size: number): Float32Array {
    const cell = data.cell;
    if (cell.disposed) this.usedAfterDispose(cell);
    if (size === 0) return new Float32Array(0);
    if (cell.ptr === 0) return cell.js!.slice(0, size);
    const at = cell.ptr >> 2;
    return this.f32.slice(at, at + size);
  }

  /**
   * Frees a tensor's storage for good: the tensor core calls it when the last tensor on the buffer
   * lets go. Resident or evicted, its values are dropped; using it afterwards is an error.
   */
  dispose(data: WasmData): void {
    const cell = data.cell;
    if (cell.disposed) return;
    cell.disposed = true;
    cell.js = null;
    if (cell.ptr === 0) return;
    this.disposedBlocks++;
    this.registry.unregister(cell);
    this.release(cell);
  }

  private usedAfterDispose(cell: Cell): never {
    throw new Error(
      `backend-wasm: ${this.opName} used a buffer of ${cell.length} values that was already disposed (a tensor used after dispose())`,
    );
  }

  /** Frees a block now (temporaries of one operation, not visible outside the backend). */
  free(data: WasmData): void {
    const cell = data.cell;
    if (cell.ptr === 0) return;
    this.registry.unregister(cell);
    this.release(cell);
  }

  /** Gives `cell` a resident block of `bytes`, evicting others to stay within the budget. */
  private place(cell: Cell, bytes: number): void {
    if (bytes > MAX_MEMORY - this.floor) this.outOfMemory(bytes, 'more than a 32-bit memory holds');
    if (this.liveBytes + bytes > this.budget) this.evictUntil(this.budget - bytes);
    cell.ptr = this.take(bytes);
    cell.bytes = bytes;
    cell.pin = this.op;
    this.liveBytes += bytes;
    this.resident.add(cell);
  }

  /** Evicts least recently used cells not pinned by the current operation until live ≤ target. */
  private evictUntil(target: number): void {
    for (const cell of this.resident) {
      if (this.liveBytes <= target) return;
      if (cell.pin !== this.op) this.evict(cell);
    }
  }

  private evict(cell: Cell): void {
    if (!cell.js) {
      const at = cell.ptr >> 2;
      cell.js = this.f32.slice(at, at + cell.length);
      this.evictedBytes += cell.length * 4;
    }
    this.evictions++;
    // Nothing but the handle may reference an evicted cell, so that it dies with the handle.
    this.registry.unregister(cell);
    this.release(cell);
  }

  /** Returns a cell's block to the free lists (from the finalizer, `free` or `evict`). */
  private release(cell: Cell): void {
    const ptr = cell.ptr;
    if (ptr === 0) return;
    const bytes = cell.bytes;
    cell.ptr = 0;
    this.resident.delete(cell);
    this.liveBytes -= bytes;
    this.freeBytes += bytes;
    let list = this.freeLists.get(bytes);
    if (!list) {
      list = [];
      this.freeLists.set(bytes, list);
    }
    list.push(ptr);
  }

  private take(bytes: number): number {
    const list = this.freeLists.get(bytes);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.freeBytes -= bytes;
      return reused;
    }
    const fromRange = this.fromRanges(bytes);
    if (fromRange !== undefined) return fromRange;
    if (this.top + bytes > this.limit && this.top > this.floor) {
      this.compact();
      const retry = this.fromRanges(bytes);
      if (retry !== undefined) return retry;
    }
    if (this.top + bytes > this.memory.buffer.byteLength && !this.grow(this.top + bytes)) {
      // The engine would not give more memory: make room in what there is, else give up.
      this.compact();
      const retry = this.fromRanges(bytes);
      if (retry !== undefined) return retry;
      const end = this.top + bytes;
      if (end > this.memory.buffer.byteLength && !this.grow(end)) {
        this.outOfMemory(
          bytes,
          `the WebAssembly memory (${formatBytes(this.memory.buffer.byteLength)}) cannot grow to ${formatBytes(end)}`,
        );
      }
    }
    const ptr = this.top;
    this.top += bytes;
    return ptr;
  }

  private fromRanges(bytes: number): number | undefined {
    for (let i = 0; i < this.ranges.length; i++) {
      const range = this.ranges[i]!;
      if (range.bytes < bytes) continue;
      const ptr = range.ptr;
      range.ptr += bytes;
      range.bytes -= bytes;
      this.freeBytes -= bytes;
      if (range.bytes === 0) this.ranges.splice(i, 1);
      return ptr;
    }
    return undefined;
  }

  /** Makes the memory at least `end` bytes long: by a quarter at a time, within the limit. */
  private grow(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    const need = Math.ceil((end - have) / PAGE);
    const quarter = Math.ceil(have / PAGE / 4);
    const withinLimit = Math.floor((this.limit - have) / PAGE);
    const pages = Math.max(need, Math.min(quarter, withinLimit));
    try {
      this.memory.grow(pages);
      return true;
    } catch {
      // fall through: try the bare minimum
    }
    try {
      this.memory.grow(need);
      return true;
    } catch {
      return false;
    }
  }

  private outOfMemory(bytes: number, why: string): never {
    throw new RangeError(
      `backend-wasm: out of memory: ${this.opName} needs a block of ${formatBytes(bytes)}, but ${why}; ` +
        `${formatBytes(this.liveBytes)} are live in ${this.resident.size} blocks ` +
        `(resident budget ${formatBytes(this.budget)}, memory limit ${formatBytes(this.limit)})`,
    );
  }

  /**
   * Evicts every cell the current operation does not need, then turns the space between the
   * remaining blocks into free ranges (the size-class lists are merged into them).
   */
  private compact(): void {
    this.compactions++;
    for (const cell of [...this.resident]) if (cell.pin !== this.op) this.evict(cell);
    const kept = [...this.resident].sort((a, b) => a.ptr - b.ptr);
    this.freeLists.clear();
    this.ranges = [];
    let at = this.floor;
    for (const cell of kept) {
      if (cell.ptr > at) this.ranges.push({ ptr: at, bytes: cell.ptr - at });
      at = cell.ptr + cell.bytes;
    }
    this.top = at;
    this.freeBytes = this.ranges.reduce((total, r) => total + r.bytes, 0);
  }

  stats(): HeapStats {
    return {
      memoryBytes: this.memory.buffer.byteLength,
      liveBytes: this.liveBytes,
      liveBlocks: this.resident.size,
      freeBytes: this.freeBytes,
      disposed: this.disposedBlocks,
      finalized: this.finalizedBlocks,
      evictions: this.evictions,
      evictedBytes: this.evictedBytes,
      compactions: this.compactions,
    };
  }
}
