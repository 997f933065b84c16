import fc from 'fast-check';

/**
 * Fuzzing helpers for the parsers' tests: mutations of valid files (the inputs most likely to get
 * deep into a parser) and a runner that accepts only the parser's own error types, within a time
 * limit per input. `SCRATCHNET_FUZZ_RUNS` sets the number of inputs (`pnpm fuzz` runs 100,000 per
 * parser); the normal test run uses the smaller count each test passes.
 */

/** The number of inputs per fuzz target: `SCRATCHNET_FUZZ_RUNS`, or `ciRuns` in a normal run. */
export function fuzzRuns(ciRuns: number): number {
  const fromEnv = Number(process.env.SCRATCHNET_FUZZ_RUNS);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : ciRuns;
}

/** Little-endian encodings of the integers most likely to break length and offset checks. */
const INTERESTING_U64 = [
  0n,
  1n,
  7n,
  8n,
  0x7fn,
  0xffn,
  0x7fffn,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  1n << 32n,
  1n << 53n,
  1n << 60n,
  (1n << 63n) - 1n,
  (1n << 64n) - 1n,
];

function u64Bytes(value: bigint): number[] {
  const out: number[] = [];
  for (let i = 0n; i < 8n; i++) out.push(Number((value >> (8n * i)) & 0xffn));
  return out;
}

type Mutation = (bytes: number[]) => void;

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const at = (bytes: number[], where: number) => Math.floor(where * bytes.length);

/** One edit of a byte array: flips, interesting values, inserts, deletions, truncation, splices. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(position, fc.integer({ min: 0, max: 7 })).map(
    ([where, bit]): Mutation =>
      (bytes) => {
        if (bytes.length > 0) bytes[at(bytes, where)]! ^= 1 << bit;
      },
  ),
  fc.tuple(position, fc.constantFrom(0, 1, 0x20, 0x7b, 0x7f, 0x80, 0xff), fc.nat(255)).map(
    ([where, value, random]): Mutation =>
      (bytes) => {
        if (bytes.length > 0) bytes[at(bytes, where)] = random % 3 === 0 ? random : value;
      },
  ),
  fc.tuple(position, fc.constantFrom(...INTERESTING_U64), fc.constantFrom(1, 2, 4, 8)).map(
    ([where, value, width]): Mutation =>
      (bytes) => {
        const start = at(bytes, where);
        const encoded = u64Bytes(value).slice(0, width);
        for (let i = 0; i < width && start + i < bytes.length; i++) bytes[start + i] = encoded[i]!;
      },
  ),
  fc.tuple(position, fc.array(fc.nat(255), { minLength: 1, maxLength: 16 })).map(
    ([where, inserted]): Mutation =>
      (bytes) => {
        bytes.splice(at(bytes, where), 0, ...inserted);
      },
  ),
  fc.tuple(position, fc.integer({ min: 1, max: 64 })).map(
    ([where, count]): Mutation =>
      (bytes) => {
        bytes.splice(at(bytes, where), count);
      },
  ),
  position.map(
    (where): Mutation =>
      (bytes) => {
        bytes.length = at(bytes, where);
      },
  ),
  fc.tuple(position, position, fc.integer({ min: 1, max: 32 })).map(
    ([from, to, count]): Mutation =>
      (bytes) => {
        const chunk = bytes.slice(at(bytes, from), at(bytes, from) + count);
        bytes.splice(at(bytes, to), 0, ...chunk);
      },
  ),
);

/** A valid file from `seeds` with 1 to `maxMutations` edits applied. */
export function mutated(seeds: readonly Uint8Array[], maxMutations = 4): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: maxMutations }))
    .map(([seed, edits]) => {
      const bytes = Array.from(seed);
      for (const edit of edits) edit(bytes);
      return Uint8Array.from(bytes);
    });
}

/** What `fuzz` ran. */
export interface FuzzReport {
  /** The parser's name, as given. */
  target: string;
  /** Inputs tried. */
  inputs: number;
  /** Time taken in all. */
  seconds: number;
  /** Inputs the parser accepted (the rest were refused with an expected error). */
  accepted: number;
}

/**
 * Feeds `runs` inputs from `inputs` to `parse`: each must return, or throw an error for which
 * `expected` is true, within `maxMillis`. fast-check shrinks any other outcome to a small
 * counterexample. Prints (and returns) the count and the time taken.
 *
 * @param options - `runs` to make, `maxMillis` per input (default 2000), and the fast-check `seed`.
 */
export function fuzz(
  target: string,
  inputs: fc.Arbitrary<Uint8Array>,
  parse: (bytes: Uint8Array) => unknown,
  expected: (error: unknown) => boolean,
  { runs, maxMillis = 2000, seed }: { runs: number; maxMillis?: number; seed?: number },
): FuzzReport {
  let count = 0;
  let accepted = 0;
  const start = performance.now();
  fc.assert(
    fc.property(inputs, (bytes) => {
      count++;
      const begin = performance.now();
      try {
        parse(bytes);
        accepted++;
      } catch (error) {
        if (!expected(error)) throw error;
      }
      const took = performance.now() - begin;
      if (took > maxMillis) throw new Error(`${target}: one input took ${took.toFixed(0)} ms`);
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `fuzz ${target}: ${count.toLocaleString('en-US')} inputs in ${seconds.toFixed(1)} s (${accepted.toLocaleString('en-US')} accepted, the rest refused with typed errors)`,
  );
  return { target, inputs: count, seconds, accepted };
}
