/** What a number field accepts: its range, and whether only whole numbers. */
export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

/**
 * Why a text was refused, as data: the field says it in the reader's language
 * (`numberInputText` in `i18n/messages/fields.ts`).
 */
export type NumberInputError =
  | { key: 'numberNeeded' }
  | { key: 'notANumber'; text: string }
  | { key: 'wholeNumberNeeded' }
  | { key: 'outOfRange'; min: number; max: number };

export type ParsedNumber = { ok: true; value: number } | { ok: false; error: NumberInputError };

/**
 * Reads what was typed into a number field as people write numbers: `0.01`, `.01`, `1e-4`,
 * `2000`, with spaces around. Refuses empty text, anything else, and values out of range, with a
 * reason that says what is allowed.
 *
 * @example
 * parseNumberInput('.01', { min: 1e-7, max: 10 }); // { ok: true, value: 0.01 }
 * parseNumberInput('2.5', { min: 1, max: 1024, integer: true }); // { ok: false, error: { key: 'wholeNumberNeeded' } }
 */
export function parseNumberInput(
  text: string,
  { min, max, integer = false }: NumberRange,
): ParsedNumber {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept only decimal notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    return {
      ok: false,
      error: trimmed === '' ? { key: 'numberNeeded' } : { key: 'notANumber', text: trimmed },
    };
  }
  const value = Number(trimmed);
  if (integer && !Number.isInteger(value))
    return { ok: false, error: { key: 'wholeNumberNeeded' } };
  if (!(value >= min && value <= max)) {
    return { ok: false, error: { key: 'outOfRange', min, max } };
  }
  return { ok: true, value };
}
