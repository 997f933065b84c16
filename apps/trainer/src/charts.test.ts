import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { type ChartSeries, renderLineChart } from './charts.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function decode(bytes: Uint8Array): PNG {
  expect(Array.from(bytes.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  return PNG.sync.read(Buffer.from(bytes));
}

const epochs = [1, 2, 3, 4, 5];
const lossCurves: ChartSeries[] = [
  { name: 'train', points: epochs.map((e) => [e, 2.3 / e]) },
  { name: 'test', points: epochs.map((e) => [e, 2.5 / e]) },
];
const labels = { title: 'Loss per epoch', xLabel: 'epoch', yLabel: 'loss' };

describe('renderLineChart', () => {
  it('renders a PNG of the requested size, the same bytes every time', async () => {
    const first = await renderLineChart({ ...labels, series: lossCurves, width: 480, height: 300 });
    const image = decode(first);
    expect([image.width, image.height]).toEqual([480, 300]);
    // Not blank: the curves and text put dark pixels on the white background.
    let dark = 0;
    for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(500);
    const again = await renderLineChart({ ...labels, series: lossCurves, width: 480, height: 300 });
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it('takes the y axis limits it is given, as plt.ylim', async () => {
    const accuracy: ChartSeries[] = [
      { name: 'train', points: epochs.map((e) => [e, 0.9 + e / 100]) },
    ];
    const free = await renderLineChart({ ...labels, series: accuracy });
    const limited = await renderLineChart({ ...labels, series: accuracy, yLimits: [0, 1] });
    expect(Buffer.from(limited).equals(Buffer.from(free))).toBe(false);
    expect([decode(limited).width, decode(limited).height]).toEqual([720, 440]);
  });

  it('defaults to 720 × 440 and draws a single point', async () => {
    const png = await renderLineChart({
      ...labels,
      series: [{ name: 'train', points: [[1, 0.5]] }],
    });
    const image = decode(png);
    expect([image.width, image.height]).toEqual([720, 440]);
  });

  it('leaves out points that are not finite, such as a diverged loss', async () => {
    const clean: ChartSeries[] = [
      {
        name: 'lr=10',
        points: [
          [0, 2.3],
          [1, 5],
        ],
      },
    ];
    const diverged: ChartSeries[] = [
      {
        name: 'lr=10',
        points: [
          [0, 2.3],
          [1, 5],
          [2, Number.NaN],
          [3, Number.POSITIVE_INFINITY],
        ],
      },
    ];
    const expected = await renderLineChart({ ...labels, series: clean });
    const drawn = await renderLineChart({ ...labels, series: diverged });
    expect(Buffer.from(drawn).equals(Buffer.from(expected))).toBe(true);
  });

  it('draws many series, with a log axis, growing the picture for a legend below', async () => {
    const trials: ChartSeries[] = Array.from({ length: 25 }, (_, k) => ({
      name: `lr=${(10 ** (-4 + k / 8)).toExponential(2)}`,
      points: epochs.map((e) => [e, 2.3 * Math.exp(-e * (k + 1) * 0.05)]),
    }));
    const png = await renderLineChart({ ...labels, series: trials, logY: true });
    const image = decode(png);
    expect(image.width).toBe(720);
    // The legend moves below, in columns, and the picture grows to keep the plot's height.
    expect(image.height).toBeGreaterThan(440 + 5 * 21);
  });

  it('refuses nothing to draw, and two series of one name', async () => {
    await expect(renderLineChart({ ...labels, series: [] })).rejects.toThrow(
      'chart "Loss per epoch": no series to draw',
    );
    await expect(
      renderLineChart({ ...labels, series: [{ name: 'train', points: [[1, Number.NaN]] }] }),
    ).rejects.toThrow('no series has a finite point');
    await expect(
      renderLineChart({ ...labels, series: [{ name: 'train', points: [[1, 0]] }], logY: true }),
    ).rejects.toThrow('finite, positive');
    await expect(
      renderLineChart({ ...labels, series: [lossCurves[0]!, lossCurves[0]!] }),
    ).rejects.toThrow('two series are named "train"');
  });
});
