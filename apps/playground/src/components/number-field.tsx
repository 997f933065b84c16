import { useId, useState } from 'react';
import { numberInputText } from '../i18n/messages/fields.js';
import { type NumberInputError, type NumberRange, parseNumberInput } from '../lib/number-input.js';
import { useApp } from '../store.js';

/**
 * A number input that keeps the text being typed and commits a parsed, range-checked value on
 * blur or Enter (Escape puts the value back). A controlled `type="number"` input would instead
 * re-render every keystroke's partial value (`0.0` → `0`), corrupting `0.01` and `.01`. What it
 * refuses is said in the page's language, under the input.
 */
export function NumberField({
  label,
  value,
  onChange,
  onCommit,
  ...range
}: NumberRange & {
  label: string;
  value: number;
  onChange: (value: number) => void;
  /** Called on every accepted Enter or blur, also when the value stays the same. */
  onCommit?: (value: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<NumberInputError | null>(null);
  const [shownValue, setShownValue] = useState(value);
  const lang = useApp((s) => s.lang);
  const errorId = useId();
  // A value set from outside (a link, a reset) replaces the text in the same render, not in an
  // effect after it: otherwise a blur landing between the two commits the stale text back.
  if (shownValue !== value) {
    setShownValue(value);
    setText(String(value));
    setError(null);
  }
  const commit = () => {
    const parsed = parseNumberInput(text, range);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setText(String(parsed.value));
    if (parsed.value !== value) onChange(parsed.value);
    onCommit?.(parsed.value);
  };
  return (
    <label className="field">
      {label}{' '}
      <input
        type="text"
        inputMode={range.integer ? 'numeric' : 'decimal'}
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') {
            setText(String(value));
            setError(null);
          }
        }}
      />
      {error && (
        <span id={errorId} role="alert" className="field-error">
          {numberInputText(error, lang)}
        </span>
      )}
    </label>
  );
}
