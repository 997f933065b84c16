/**
 * The backend suite, layout: gather (strided copies), pad and concat.
 */
import { describe, it } from 'vitest';
import type { Backend, GatherSpec } from '../../backend.js';
import { expectClose, inputs, type Shape, sizeOf, stridesOf, uniform, unravel } from './helpers.js';

function gatherNaive(x: Float32Array, { outShape, strides, offset }: GatherSpec): Float64Array {
  const out = new Float64Array(sizeOf(outShape));
  for (let o = 0; o < out.length; o++) {
    const index = unravel(o, outShape);
    out[o] = x[index.reduce((src, v, d) => src + v * strides[d]!, offset)]!;
  }
  return out;
}

function padNaive(
  x: Float32Array,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
  value: number,
) {
  const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = new Float64Array(sizeOf(outShape)).fill(value);
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < x.length; i++) {
    const index = unravel(i, shape);
    out[index.reduce((dst, v, d) => dst + (v + pads[d]![0]) * outStrides[d]!, 0)] = x[i]!;
  }
  return { values: out, outShape };
}

function concatNaive(xs: readonly Float32Array[], shapes: readonly Shape[], axis: number) {
  const outShape = [...shapes[0]!];
  outShape[axis] = shapes.reduce((total, s) => total + s[axis]!, 0);
  const out = new Float64Array(sizeOf(outShape));
  const outStrides = stridesOf(outShape);
  let start = 0;
  xs.forEach((x, j) => {
    for (let i = 0; i < x.length; i++) {
      const index = unravel(i, shapes[j]!);
      index[axis]! += start;
      out[index.reduce((dst, v, d) => dst + v * outStrides[d]!, 0)] = x[i]!;
    }
    start += shapes[j]![axis]!;
  });
  return out;
}

/** Registers the layout tests of the backend suite for `backend`. */
export function describeLayout<D>(backend: Backend<D>): void {
  const read = (data: D, size: number) => backend.read(data, size);

  describe('gather', () => {
    const x = uniform(60, 61);
    const cases: [string, Shape, GatherSpec][] = [
      [
        'a permutation [2,3,4] → [4,2,3]',
        [2, 3, 4],
        { outShape: [4, 2, 3], strides: [1, 12, 4], offset: 0 },
      ],
      ['a broadcast row [3] → [2,3]', [3], { outShape: [2, 3], strides: [0, 1], offset: 0 }],
      [
        'a broadcast column [3,1] → [3,4]',
        [3, 1],
        { outShape: [3, 4], strides: [1, 0], offset: 0 },
      ],
      [
        'a stepped slice of [5,6] from (1,0) by (2,2)',
        [5, 6],
        { outShape: [2, 3], strides: [12, 2], offset: 6 },
      ],
      [
        'a 3-D window with offset',
        [3, 4, 5],
        { outShape: [2, 2, 3], strides: [20, 5, 2], offset: 26 },
      ],
      ['one element (rank 0)', [60], { outShape: [], strides: [], offset: 17 }],
      ['nothing (size 0)', [60], { outShape: [0, 3], strides: [3, 1], offset: 0 }],
    ];
    it.each(cases)('reads %s', (_label, shape, spec) => {
      const t = inputs(backend);
      const values = x.slice(0, sizeOf(shape));
      const expected = gatherNaive(values, spec);
      expectClose('gather', read(backend.gather(t.up(values), spec), expected.length), expected);
      t.untouched();
    });
  });

  describe('pad', () => {
    const cases: [Shape, [number, number][], number][] = [
      [
        [2, 3],
        [
          [1, 2],
          [0, 1],
        ],
        0,
      ],
      [
        [2, 3],
        [
          [0, 0],
          [3, 0],
        ],
        -1.5,
      ],
      [[5], [[2, 2]], 7],
      [
        [2, 1, 3],
        [
          [1, 0],
          [2, 2],
          [0, 1],
        ],
        Number.NEGATIVE_INFINITY,
      ],
      [
        [2, 3],
        [
          [0, 0],
          [0, 0],
        ],
        1,
      ],
      [
        [0, 2],
        [
          [1, 1],
          [0, 0],
        ],
        3,
      ],
    ];
    it.each(cases)('pads [%s] by %j with %d', (shape, pads, value) => {
      const t = inputs(backend);
      const x = uniform(sizeOf(shape), 71);
      const { values } = padNaive(x, shape, pads, value);
      expectClose('pad', read(backend.pad(t.up(x), shape, pads, value), values.length), values);
      t.untouched();
    });
  });

  describe('concat', () => {
    const cases: [Shape[], number][] = [
      [
        [
          [2, 3],
          [2, 1],
          [2, 4],
        ],
        1,
      ],
      [
        [
          [1, 3],
          [2, 3],
        ],
        0,
      ],
      [
        [
          [2, 3, 1],
          [2, 3, 2],
        ],
        2,
      ],
      [
        [
          [2, 0, 3],
          [2, 2, 3],
          [2, 1, 3],
        ],
        1,
      ],
      [[[4], [3]], 0],
      [[[2, 2]], 0],
    ];
    it.each(cases)('joins %j along axis %i', (shapes, axis) => {
      const t = inputs(backend);
      const xs = shapes.map((s, i) => uniform(sizeOf(s), 81 + i));
      const expected = concatNaive(xs, shapes, axis);
      const out = backend.concat(
        xs.map((x) => t.up(x)),
        shapes,
        axis,
      );
      expectClose('concat', read(out, expected.length), expected);
      t.untouched();
    });
  });
}
