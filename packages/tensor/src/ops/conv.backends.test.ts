import { expect, it } from 'vitest';
import { randn, tensor } from '../creation.js';
import { manualSeed } from '../random.js';
import { ShapeError } from '../shape.js';
import { describeEachBackend } from '../testing/index.js';
import { avgPool2d, col2im, conv2d, im2col, maxPool2d } from './conv.js';

// The book's figures 7-3 to 7-5.
const bookInput = tensor([
  [1, 2, 3, 0],
  [0, 1, 2, 3],
  [3, 0, 1, 2],
  [2, 3, 0, 1],
]).reshape([1, 1, 4, 4]);
const bookFilter = tensor([
  [2, 0, 1],
  [0, 1, 2],
  [1, 0, 2],
]).reshape([1, 1, 3, 3]);

describeEachBackend('conv2d: the book’s worked example', () => {
  it('gives [[15, 16], [6, 15]] (figure 7-3)', () => {
    expect(conv2d(bookInput, bookFilter).reshape([2, 2]).toArray()).toEqual([
      [15, 16],
      [6, 15],
    ]);
  });

  it('adds the bias 3 → [[18, 19], [9, 18]] (figure 7-5)', () => {
    expect(
      conv2d(bookInput, bookFilter, tensor([3]))
        .reshape([2, 2])
        .toArray(),
    ).toEqual([
      [18, 19],
      [9, 18],
    ]);
  });

  it('with padding 1 gives a 4×4 output (figure 7-6)', () => {
    const out = conv2d(bookInput, bookFilter, null, { padding: 1 });
    expect(out.shape).toEqual([1, 1, 4, 4]);
    // Corner: only the filter's lower-right 2×2 overlaps [[1, 2], [0, 1]] → 1·1 + 2·2 + 0·0 + 1·2.
    expect(out.reshape([4, 4]).toArray()).toEqual([
      [7, 12, 10, 2],
      [4, 15, 16, 10],
      [10, 6, 15, 6],
      [8, 10, 4, 3],
    ]);
  });

  it('with stride 2 on a 7×7 input gives 3×3 (figure 7-7)', () => {
    const x = tensor(
      Array.from({ length: 49 }, (_, i) => i),
      [1, 1, 7, 7],
    );
    const out = conv2d(x, bookFilter, null, { stride: 2 });
    expect(out.shape).toEqual([1, 1, 3, 3]);
    // Top-left window rows [0,1,2],[7,8,9],[14,15,16] against the filter.
    const topLeft = 2 * 0 + 0 * 1 + 1 * 2 + 0 * 7 + 1 * 8 + 2 * 9 + 1 * 14 + 0 * 15 + 2 * 16;
    expect(out.dataSync()[0]).toBe(topLeft);
    // Moving one output step right moves the window 2 columns: every input grows by 2, the sum by 2·Σw.
    expect(out.dataSync()[1]! - out.dataSync()[0]!).toBe(2 * 9);
  });
});

describeEachBackend('im2col / col2im', () => {
  it('matches the book’s shapes: one 3×7×7 image with a 5×5 filter → (9, 75); ten → (90, 75)', () => {
    manualSeed(0);
    expect(im2col(randn([1, 3, 7, 7]), 5, 5, 1, 0).shape).toEqual([9, 75]);
    expect(im2col(randn([10, 3, 7, 7]), 5, 5, 1, 0).shape).toEqual([90, 75]);
  });

  it('puts each receptive field in one row, channel-major as the book', () => {
    const x = tensor(
      Array.from({ length: 2 * 3 * 3 }, (_, i) => i),
      [1, 2, 3, 3],
    );
    const cols = im2col(x, 2, 2).toArray() as number[][];
    expect(cols).toHaveLength(4);
    expect(cols[0]).toEqual([0, 1, 3, 4, 9, 10, 12, 13]);
    expect(cols[3]).toEqual([4, 5, 7, 8, 13, 14, 16, 17]);
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
    manualSeed(7);
    for (const [stride, pad] of [
      [1, 0],
      [2, 1],
      [3, 2],
    ] as const) {
      const x = randn([2, 3, 7, 6]);
      const cols = im2col(x, 3, 2, stride, pad);
      const y = randn([...cols.shape]);
      const left = cols.mul(y).sum().item();
      const right = x
        .mul(col2im(y, x.shape, 3, 2, stride, pad))
        .sum()
        .item();
      expect(right).toBeCloseTo(left, 3);
    }
  });
});

describeEachBackend('pooling', () => {
  it('max-pools 2×2 windows with stride 2 (the book’s figure 7-14)', () => {
    const x = tensor([
      [1, 2, 1, 0],
      [0, 1, 2, 3],
      [3, 0, 1, 2],
      [2, 4, 0, 1],
    ]).reshape([1, 1, 4, 4]);
    expect(maxPool2d(x, { kernelSize: 2 }).reshape([2, 2]).toArray()).toEqual([
      [2, 3],
      [4, 2],
    ]);
    expect(avgPool2d(x, { kernelSize: 2 }).reshape([2, 2]).toArray()).toEqual([
      [1, 1.5],
      [2.25, 1],
    ]);
  });

  it('floors the output size as PyTorch (5×5, kernel 2, stride 2 → 2×2)', () => {
    expect(maxPool2d(randn([1, 1, 5, 5]), { kernelSize: 2, stride: 2 }).shape).toEqual([
      1, 1, 2, 2,
    ]);
  });
});

describeEachBackend('errors name the op and the problem', () => {
  it('rejects a channel mismatch with both shapes', () => {
    expect(() => conv2d(randn([1, 3, 8, 8]), randn([4, 2, 3, 3]))).toThrow(
      /conv2d: input \[1, 3, 8, 8\] does not fit weight \[4, 2, 3, 3\]/,
    );
  });
  it('rejects a zero stride, a negative padding, and a kernel larger than the input', () => {
    const x = randn([1, 1, 4, 4]);
    expect(() => conv2d(x, randn([1, 1, 3, 3]), null, { stride: 0 })).toThrow(
      /stride must be whole numbers ≥ 1/,
    );
    expect(() => conv2d(x, randn([1, 1, 3, 3]), null, { padding: -1 })).toThrow(
      /padding must be whole numbers ≥ 0/,
    );
    expect(() => conv2d(x, randn([1, 1, 5, 5]))).toThrow(ShapeError);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(/at most half the kernel/);
  });
});
