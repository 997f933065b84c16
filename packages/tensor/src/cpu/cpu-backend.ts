import type { Backend, MatmulSpec } from '../backend.js';
import { conv2d, conv2dFilterGrad, conv2dInputGrad } from './conv.js';
import { binary, unary } from './elementwise.js';
import { gemm } from './gemm.js';
import { concat, gather, pad } from './layout.js';
import { reduce } from './reduce.js';
import {
  avgPool2d,
  avgPool2dBackward,
  col2im,
  im2col,
  maxPool2d,
  maxPool2dBackward,
} from './window.js';

function matmul(a: Float32Array, b: Float32Array, spec: MatmulSpec): Float32Array {
  const { batch, m, k, n, transA, transB } = spec;
  const c = new Float32Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    gemm({
      a,
      aOffset: spec.broadcastA ? 0 : i * m * k,
      b,
      bOffset: spec.broadcastB ? 0 : i * k * n,
      c,
      cOffset: i * m * n,
      m,
      n,
      k,
      transA,
      transB,
    });
  }
  return c;
}

/**
 * The reference backend: plain TypeScript over Float32Arrays. It runs everywhere and is the
 * yardstick the faster backends are tested against.
 */
export const cpuBackend: Backend<Float32Array> = {
  name: 'cpu',
  fusesConvRelu: true,
  upload: (values) => values.slice(),
  // Nothing to do: the garbage collector reclaims a Float32Array once no tensor holds it.
  dispose: () => {},
  read: (data, size) => data.slice(0, size),
  // Copied now, so the values are those of the call even if the caller changes them later.
  readAsync: (data, size) => Promise.resolve(data.slice(0, size)),
  fill: (size, value) => new Float32Array(size).fill(value),
  unary,
  binary,
  reduce,
  matmul,
  gather,
  pad,
  concat,
  im2col,
  col2im,
  conv2d,
  conv2dInputGrad,
  conv2dFilterGrad,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
};
