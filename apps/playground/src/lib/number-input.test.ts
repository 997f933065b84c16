import { describe, expect, it } from 'vitest';
import { parseNumberInput } from './number-input.js';

const lr = { min: 1e-7, max: 10 };
const batch = { min: 1, max: 10_000, integer: true };

describe('parseNumberInput', () => {
  it('reads numbers as people type them', () => {
    expect(parseNumberInput('0.01', lr)).toEqual({ ok: true, value: 0.01 });
    expect(parseNumberInput('.01', lr)).toEqual({ ok: true, value: 0.01 });
    expect(parseNumberInput('1e-4', lr)).toEqual({ ok: true, value: 0.0001 });
    expect(parseNumberInput('1E-4', lr)).toEqual({ ok: true, value: 0.0001 });
    expect(parseNumberInput(' 2000 ', batch)).toEqual({ ok: true, value: 2000 });
    expect(parseNumberInput('3.', lr)).toEqual({ ok: true, value: 3 });
  });

  it('refuses empty text, other text and hexadecimal, saying why', () => {
    expect(parseNumberInput('', lr)).toEqual({ ok: false, message: 'a number is needed' });
    expect(parseNumberInput('  ', lr)).toEqual({ ok: false, message: 'a number is needed' });
    expect(parseNumberInput('abc', lr)).toEqual({ ok: false, message: '"abc" is not a number' });
    expect(parseNumberInput('0x10', batch)).toEqual({
      ok: false,
      message: '"0x10" is not a number',
    });
    expect(parseNumberInput('1e', lr)).toEqual({ ok: false, message: '"1e" is not a number' });
    expect(parseNumberInput('.', lr)).toEqual({ ok: false, message: '"." is not a number' });
  });

  it('refuses values out of range and fractions where whole numbers are needed', () => {
    expect(parseNumberInput('0', lr)).toEqual({ ok: false, message: 'between 1e-7 and 10' });
    expect(parseNumberInput('20000', batch)).toEqual({
      ok: false,
      message: 'between 1 and 10,000',
    });
    expect(parseNumberInput('2.5', batch)).toEqual({
      ok: false,
      message: 'a whole number is needed',
    });
    expect(parseNumberInput('-1', { min: 0, max: 1 })).toEqual({
      ok: false,
      message: 'between 0 and 1',
    });
  });
});
