import { useEffect, useId, useState } from 'react';
import { type NumberRange, parseNumberInput } from '../lib/number-input.js';

/**
 * A number input that keeps the text being typed and commits a parsed, range-checked value on
 * blur or Enter (Escape puts the value back). A controlled `type="number"` input would instead
 * re-render every keystroke's partial value (`0.0` → `0`), corrupting `0.01` and `.01`.
 */
export function NumberField({
  label,
  value,
  onChange,
  ...range
}: NumberRange & {
  label: string;
  value: number;
  onChange: (value: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // A value set from outside (a link, a reset) replaces the text.
  useEffect(() => {
    setText(String(value));
    setError(null);
  }, [value]);
  const commit = () => {
    const parsed = parseNumberInput(text, range);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(null);
    setText(String(parsed.value));
    if (parsed.value !== value) onChange(parsed.value);
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
          {error}
        </span>
      )}
    </label>
  );
}
