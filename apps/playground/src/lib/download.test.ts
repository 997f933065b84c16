import { describe, expect, it } from 'vitest';
import { stepsCsv } from './download.js';

describe('stepsCsv', () => {
  it('writes the CLI steps.csv format: 0-based epochs, losses in full precision', () => {
    const loss = Math.fround(2.302585);
    expect(stepsCsv([1, 2, 3], [loss, 0.5, 0.25], 2)).toBe(
      `step,epoch,loss\n1,0,${loss}\n2,0,0.5\n3,1,0.25\n`,
    );
    expect(String(loss)).toBe('2.302584934234619');
  });
});
