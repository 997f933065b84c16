import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@scratchnet/serialization/node';

/** What a book script is given to run with: where to print, where its figures go. */
export interface BookContext {
  /** `--quick`: a small version (fewer steps, images or hidden units) that ends in seconds. */
  readonly quick: boolean;
  /** The directory for the script's figures (created when the first one is written). */
  readonly outDir: string;
  /**
   * `--weights FILE`: the parameters a script loads where the book loads a pickle
   * (`sample_weight.pkl`, `deep_convnet_params.pkl`); undefined when not given.
   */
  readonly weights?: string;
  /** Python's `print(a, b, …)`: the parts joined by one space (a NumPy matrix takes a line a row). */
  print(...parts: unknown[]): void;
  /** Writes a figure (the book's `plt.show()`) as `outDir/fileName`; returns its path. */
  savePicture(fileName: string, png: Uint8Array): string;
}

/** A context that prints with `print` and remembers the files it wrote, in order. */
export function createBookContext({
  quick,
  outDir,
  weights,
  print,
}: {
  quick: boolean;
  outDir: string;
  weights?: string;
  print: (line: string) => void;
}): BookContext & { readonly files: string[] } {
  // `print` is given one line at a time: a printed matrix comes as one line per row.
  const files: string[] = [];
  return {
    quick,
    outDir,
    weights,
    files,
    print: (...parts) => {
      for (const line of parts.map(String).join(' ').split('\n')) print(line);
    },
    savePicture(fileName, png) {
      mkdirSync(outDir, { recursive: true });
      const path = join(outDir, fileName);
      writeFileAtomicSync(path, png);
      files.push(path);
      return path;
    },
  };
}

/**
 * Python's `repr` of a float (what `print(x)` shows): the shortest digits that read back as x,
 * as JavaScript's `String(x)`, but in exponent form below 1e-4 or from 1e16 (`2.5e-06`, with a
 * two-digit exponent), and with `.0` on whole numbers (`220.0`).
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${formatExponent(exponent)}`;
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

/** NumPy's exponent: a sign and at least two digits (`-10`, `+00`). */
function formatExponent(exponent: number): string {
  return `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** At most `digits` fractional digits, the shortest that read back as x when fewer suffice. */
function positional(x: number, digits: number): string {
  const shortest = String(x);
  const fraction = shortest.split('.')[1] ?? '';
  const text =
    !shortest.includes('e') && fraction.length <= digits
      ? shortest
      : x.toFixed(digits).replace(/0+$/, '');
  return text.includes('.') ? text : `${text}.`;
}

/** At most `digits` digits after the point of the mantissa, the shortest when fewer suffice. */
function scientific(x: number, digits: number): { mantissa: string; exponent: number } {
  let [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  if ((mantissa.split('.')[1] ?? '').length > digits) {
    [mantissa, exponentText] = x.toExponential(digits).split('e') as [string, string];
    mantissa = mantissa.replace(/0+$/, '');
  }
  if (!mantissa.includes('.')) mantissa += '.';
  return { mantissa, exponent: Number(exponentText) };
}

/**
 * How NumPy prints a float array (`print(np.array(...))`, default options: precision 8,
 * `floatmode='maxprec'`), for 1-D and 2-D arrays short enough for one line per row:
 * `[6. 8.]`, `[-6.11110793e-10  8.14814391e-10]`, `[[ 0.21924763  0.14356247 -0.36281009] …]`.
 * Exponent form when some non-zero |value| is below 1e-4, or the largest over the smallest is
 * above 1000; every value is padded to the widest, as NumPy aligns its columns.
 */
export function ndarrayToString(array: readonly number[] | readonly (readonly number[])[]): string {
  const rows = (typeof array[0] === 'number' ? [array] : array) as readonly (readonly number[])[];
  const values = rows.flat();
  const nonZero = values.filter((v) => v !== 0).map(Math.abs);
  const max = nonZero.length ? Math.max(...nonZero) : 0;
  const min = nonZero.length ? Math.min(...nonZero) : 0;
  const exponentForm = nonZero.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1000);
  let format: (x: number) => string;
  if (exponentForm) {
    const parts = values.map((v) => scientific(v, 8));
    const precision = Math.max(...parts.map((p) => p.mantissa.split('.')[1]!.length));
    const padLeft = Math.max(...parts.map((p) => p.mantissa.split('.')[0]!.length));
    const exponentDigits = Math.max(2, ...parts.map((p) => String(Math.abs(p.exponent)).length));
    format = (x) => {
      const { mantissa, exponent } = scientific(x, 8);
      const [whole, fraction] = mantissa.split('.') as [string, string];
      const sign = exponent < 0 ? '-' : '+';
      const digits = String(Math.abs(exponent)).padStart(exponentDigits, '0');
      return `${whole.padStart(padLeft)}.${fraction.padEnd(precision, '0')}e${sign}${digits}`;
    };
  } else {
    const parts = values.map((v) => positional(v, 8).split('.') as [string, string]);
    const padLeft = Math.max(...parts.map(([whole]) => whole.length));
    const padRight = Math.max(...parts.map(([, fraction]) => fraction.length));
    format = (x) => {
      const [whole, fraction] = positional(x, 8).split('.') as [string, string];
      return `${whole.padStart(padLeft)}.${fraction.padEnd(padRight)}`;
    };
  }
  const lines = rows.map((row) => `[${row.map(format).join(' ')}]`);
  if (rows === array) return `[${lines.join('\n ')}]`;
  return lines[0]!;
}
