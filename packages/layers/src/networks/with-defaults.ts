/**
 * `options` over `defaults`, where an option given as `undefined` keeps its default (as a
 * destructuring default does, and unlike a plain spread).
 *
 * @example
 * withDefaults({ hiddenSize: 100, outputSize: 10 }, { hiddenSize: undefined, outputSize: 5 });
 * // { hiddenSize: 100, outputSize: 5 }
 */
export function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
