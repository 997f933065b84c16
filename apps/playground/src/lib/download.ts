/** Offers `bytes` (or text) to the user as a file download. */
export function download(
  content: Uint8Array | string,
  name: string,
  type = 'application/octet-stream',
): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The losses of a run as `scratchnet train` writes them to steps.csv (step, 0-based epoch, loss
 * in full precision), so a run here and the same run in the CLI compare line by line.
 *
 * @example
 * stepsCsv([1, 2], [2.31, 2.2], 600); // 'step,epoch,loss\n1,0,2.31\n2,0,2.2\n'
 */
export function stepsCsv(
  steps: readonly number[],
  losses: readonly number[],
  stepsPerEpoch: number,
): string {
  const lines = steps.map(
    (step, i) => `${step},${Math.floor((step - 1) / stepsPerEpoch)},${losses[i]}`,
  );
  return `step,epoch,loss\n${lines.map((line) => `${line}\n`).join('')}`;
}
