/**
 * Measures `fn` after a warm-up: repeats it until `minSeconds` have passed and reports the median
 * of several rounds, so one slow round (GC, the other core busy) does not decide the figure.
 */
export function secondsPerCall(fn: () => void, { rounds = 5, minSeconds = 0.3 } = {}): number {
  fn();
  fn();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minSeconds * 1000) {
      fn();
      calls++;
      elapsed = performance.now() - start;
    }
    perRound.push(elapsed / 1000 / calls);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)]!;
}

export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
