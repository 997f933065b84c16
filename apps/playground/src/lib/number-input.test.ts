import { describe, expect, it } from 'vitest';
import { numberInputText } from '../i18n/messages/fields.js';
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
    expect(parseNumberInput('', lr)).toEqual({ ok: false, error: { key: 'numberNeeded' } });
    expect(parseNumberInput('  ', lr)).toEqual({ ok: false, error: { key: 'numberNeeded' } });
    expect(parseNumberInput('abc', lr)).toEqual({
      ok: false,
      error: { key: 'notANumber', text: 'abc' },
    });
    expect(parseNumberInput('0x10', batch)).toEqual({
      ok: false,
      error: { key: 'notANumber', text: '0x10' },
    });
    expect(parseNumberInput('1e', lr)).toEqual({
      ok: false,
      error: { key: 'notANumber', text: '1e' },
    });
    expect(parseNumberInput('.', lr)).toEqual({
      ok: false,
      error: { key: 'notANumber', text: '.' },
    });
  });

  it('refuses values out of range and fractions where whole numbers are needed', () => {
    expect(parseNumberInput('0', lr)).toEqual({
      ok: false,
      error: { key: 'outOfRange', min: 1e-7, max: 10 },
    });
    expect(parseNumberInput('20000', batch)).toEqual({
      ok: false,
      error: { key: 'outOfRange', min: 1, max: 10_000 },
    });
    expect(parseNumberInput('2.5', batch)).toEqual({
      ok: false,
      error: { key: 'wholeNumberNeeded' },
    });
    expect(parseNumberInput('-1', { min: 0, max: 1 })).toEqual({
      ok: false,
      error: { key: 'outOfRange', min: 0, max: 1 },
    });
  });
});

describe('numberInputText', () => {
  it('says a refusal in each language, limits written as people write them', () => {
    const say = (text: string, range: typeof lr, lang: 'en' | 'ko' | 'ja') => {
      const parsed = parseNumberInput(text, range);
      if (parsed.ok) throw new Error(`${text} was accepted`);
      return numberInputText(parsed.error, lang);
    };
    expect(say('abc', lr, 'en')).toBe('"abc" is not a number');
    expect(say('2.5', batch, 'en')).toBe('a whole number is needed');
    expect(say('0', lr, 'en')).toBe('between 1e-7 and 10');
    expect(say('20000', batch, 'en')).toBe('between 1 and 10,000');
    expect(say('', lr, 'en')).toBe('a number is needed');
    expect(say('abc', lr, 'ko')).toBe('"abc"은(는) 숫자가 아닙니다');
    expect(say('20000', batch, 'ja')).toBe('1から10,000までの値にしてください');
  });
});
