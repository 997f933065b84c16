// The kernels of @scratchnet/backend-wasm, in AssemblyScript. Every function works on raw
// pointers into the (imported, possibly shared) memory; the JavaScript side owns allocation.
// Nothing here allocates or keeps state in memory, so many instances (one per worker) can run on
// one shared memory at once as long as they write to disjoint outputs.
//
// Each family lives in its own file, named like the reference backend's (packages/tensor/src/cpu/);
// this file only re-exports them: its exports are the module's exports.

export * from './memory';
export * from './gemm';
export * from './elementwise';
export * from './reduce';
export * from './layout';
export * from './window';
export * from './adam';
export * from './conv';
export * from './winograd';
export * from './winograd4';
