import { describe, expect, it } from 'vitest';
import { expectFigures, numbersIn, runScript, scriptNames } from '../testing.js';
import { ch04 } from './index.js';
import { trainNeuralnetFigure } from './train-neuralnet.js';

describe('scratchnet book: ch04 numerical gradients', () => {
  it('gradient-1d prints the book’s slopes at 5 and 10 and draws f with its tangent', async () => {
    const { lines, files } = await runScript('ch04/gradient-1d');
    expect(lines).toEqual(['0.1999999999990898', '0.2999999999986347']);
    expectFigures(files, ['gradient_1d.png']);
  });

  it('gradient-2d prints ∇(x0² + x1²) at (3, 4), (0, 2), (3, 0) and draws the arrows', async () => {
    const { lines, files } = await runScript('ch04/gradient-2d');
    const expected = [
      [6, 8],
      [0, 4],
      [6, 0],
    ];
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.entries()) {
      const got = numbersIn(line);
      expect(got).toHaveLength(2);
      for (const [k, v] of got.entries()) {
        expect(Math.abs(v - expected[i]![k]!), line).toBeLessThan(1e-4);
      }
    }
    expectFigures(files, ['gradient_2d.png']);
  });

  it('gradient-method runs the script’s 20 steps, draws their path, and prints the text’s 100 steps beside', async () => {
    const { lines, files } = await runScript('ch04/gradient-method');
    // step_num = 20 as ch04/gradient_method.py: each step multiplies x by 1 − 2·lr = 0.8.
    expect(lines[0]).toBe('[-0.03458765  0.04611686]');
    const [x0, x1] = numbersIn(lines[0]!);
    expect(x0).toBeCloseTo(-3 * 0.8 ** 20, 8);
    expect(x1).toBeCloseTo(4 * 0.8 ** 20, 8);
    // Section 4.4.1's text: step_num=100, within 1e-9 of the minimum (0, 0).
    expect(lines[1]).toBe(
      "(step_num=20, as the book's gradient_method.py; section 4.4.1's text runs step_num=100: " +
        '[-6.11110793e-10  8.14814391e-10])',
    );
    expect(lines).toHaveLength(2);
    expectFigures(files, ['gradient_method.png']);
  });

  it('gradient-simplenet prints the book’s W, p, argmax, loss and dW', async () => {
    const { lines } = await runScript('ch04/gradient-simplenet');
    const text = lines.join('\n');
    expect(lines[0]).toBe('[[0.47355232 0.9977393  0.84668094]');
    expect(lines[3]).toBe('2');
    const p = numbersIn(lines[2]!);
    const loss = Number(lines[4]);
    const dW = numbersIn(lines.slice(5).join(' '));
    for (const [i, v] of [1.05414809, 0.63071653, 1.1328074].entries()) {
      expect(p[i]).toBeCloseTo(v, 7);
    }
    // The book's W is printed to 8 digits, so its loss and dW agree to about 1e-6.
    expect(loss).toBeCloseTo(0.92806853663411326, 6);
    const bookDW = [0.21924763, 0.14356247, -0.36281009, 0.32887144, 0.2153437, -0.54421514];
    expect(dW).toHaveLength(6);
    for (const [i, v] of bookDW.entries()) {
      expect(Math.abs(dW[i]! - v), text).toBeLessThan(1e-6);
    }
  });
});

describe('scratchnet book: ch04 TwoLayerNet', () => {
  it('two-layer-net prints the shapes of 4.5.1 the book’s way round: W1 (784, hidden)', async () => {
    const { lines } = await runScript('ch04/two-layer-net');
    // --quick: 3 hidden units and 3 images; the book's text has 100 and 100.
    expect(lines).toEqual([
      "net.params['W1'].shape: (784, 3)",
      "net.params['b1'].shape: (3,)",
      "net.params['W2'].shape: (3, 10)",
      "net.params['b2'].shape: (10,)",
      'y.shape: (3, 10)',
      "grads['W1'].shape: (784, 3)",
      "grads['b1'].shape: (3,)",
      "grads['W2'].shape: (3, 10)",
      "grads['b2'].shape: (10,)",
    ]);
  });

  it('train-neuralnet prints the accuracies after the first step and each epoch, rising', async () => {
    const { lines, files } = await runScript('ch04/train-neuralnet');
    // --quick: 3,000 images (30 steps an epoch), 300 steps: 1 + 10 lines.
    expect(lines).toHaveLength(11);
    const accuracies = lines.map((line) => {
      expect(line).toMatch(/^train acc, test acc \| 0\.\d+, 0\.\d+$/);
      return numbersIn(line.split('|')[1]!);
    });
    // Chance after one step; the sigmoid net learns slowly at first, as the book's figure shows.
    expect(accuracies[0]![0]).toBeLessThan(0.2);
    expect(accuracies.at(-1)![0]).toBeGreaterThan(0.4);
    expect(accuracies.at(-1)![1]).toBeGreaterThan(0.4);
    expectFigures(files, ['train_neuralnet.png']);
  }, 120_000);

  it('train-neuralnet draws figure 4-12 as the book’s script: test accuracy dashed, y from 0 to 1', () => {
    const { options, contents } = trainNeuralnetFigure([0.1, 0.8, 0.9], [0.1, 0.79, 0.91]);
    // plt.plot(x, train_acc_list, label='train acc'); plt.plot(x, test_acc_list, label='test acc', linestyle='--')
    expect(
      contents.lines?.map(({ label, dashed }) => ({ label, dashed: dashed ?? false })),
    ).toEqual([
      { label: 'train acc', dashed: false },
      { label: 'test acc', dashed: true },
    ]);
    expect(contents.lines?.[1]?.points).toEqual([
      [0, 0.1],
      [1, 0.79],
      [2, 0.91],
    ]);
    expect(options.ylim).toEqual([0, 1]); // plt.ylim(0, 1.0)
    expect(options.legend).toBe('lower right');
    expect(options.xLabel).toBe('epochs');
    expect(options.yLabel).toBe('accuracy');
  });
});

it('tests every ch04 script', () => {
  expect(scriptNames(ch04)).toEqual([
    'gradient-1d',
    'gradient-2d',
    'gradient-method',
    'gradient-simplenet',
    'two-layer-net',
    'train-neuralnet',
  ]);
});
