import { describe, expect, it } from 'vitest';
import { stepsCsv } from './download.js';

describe('stepsCsv', () => {
  it('writes the CLI steps.csv format: 0-based epochs, losses in full precision', () => {
    // A float32 loss prints with all its digits, as the CLI writes it.
    const loss = Math.fround(0.1);
    expect(stepsCsv([1, 2, 3], [loss, 0.5, 0.25], 2)).toBe(
      `step,epoch,loss\n1,0,${loss}\n2,0,0.5\n3,1,0.25\n`,
    );
    expect(String(loss)).toBe('0.10000000149011612');
  });
});
