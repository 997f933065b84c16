/**
 * Checking a caller's option objects: a misspelt key (`epoch: 1` for `epochs`) is refused with the
 * names it was probably meant to be, instead of silently running on the defaults.
 */

/** Edits (insertions, deletions, substitutions) that turn `a` into `b`: Levenshtein's distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates that `name` was probably meant to be, nearest first: those within a few edits of
 * it (case ignored; at most 3, and fewer for short names), or that contain it or are contained in
 * it.
 *
 * @example
 * closestNames('epoch', ['epochs', 'batchSize', 'lr']); // ['epochs']
 * closestNames('learningRate', ['lr', 'momentum']); // []
 */
export function closestNames(name: string, candidates: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  return [...candidates]
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const distance = editDistance(wanted, lower);
      const contains = wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower));
      return { candidate, distance, close: distance <= limit || contains };
    })
    .filter(({ close }) => close)
    .sort((a, b) => a.distance - b.distance)
    .map(({ candidate }) => candidate);
}

/**
 * Refuses keys of `options` that are not in `known`, naming each with what it was probably meant
 * to be: `fit: unknown option "epoch" (did you mean "epochs"?); the options are …`. A key whose
 * value is `undefined` counts too: it is still a misspelling.
 *
 * @example
 * checkOptionKeys('fit', { epoch: 1 }, ['epochs', 'batchSize']);
 * // RangeError: fit: unknown option "epoch" (did you mean "epochs"?); the options are epochs, batchSize
 */
export function checkOptionKeys(where: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const close = closestNames(key, known);
    return close.length > 0
      ? `"${key}" (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)`
      : `"${key}"`;
  });
  throw new RangeError(
    `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; the options are ${known.join(', ')}`,
  );
}

/**
 * Every key of the options type `T`, checked by the compiler: leaving one out fails to compile
 * with `missingKeys` naming it, so a list for `checkOptionKeys` cannot fall behind its interface.
 *
 * @example
 * interface FitOptions { epochs?: number; batchSize?: number }
 * const FIT_KEYS = everyKey<FitOptions>()(['epochs', 'batchSize']); // ['epochs', 'batchSize']
 */
export function everyKey<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K &
      ([Exclude<keyof T, K[number]>] extends [never]
        ? unknown
        : { missingKeys: Exclude<keyof T, K[number]> }),
  ): K => keys;
}
