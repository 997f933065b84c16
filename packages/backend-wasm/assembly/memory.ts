// Memory: where the JavaScript side's allocator may begin.

/** Where the JavaScript allocator may start: past this module's own (empty) static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
