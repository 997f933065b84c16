import { SingleBar } from 'cli-progress';
import { formatPercent } from './evaluate.js';
import type { EpochRecord } from './metrics-log.js';

/** What the training loop tells the person watching it. */
export interface TrainingReporter {
  started(description: string): void;
  resumed(checkpointPath: string, epoch: number, step: number): void;
  epochStarted(epoch: number, epochs: number, batches: number, firstBatch: number): void;
  stepDone(batchIndex: number, runningLoss: number, batchSize: number): void;
  epochDone(record: EpochRecord): void;
  interrupted(checkpointPath: string, step: number): void;
  /** A batch was skipped (a NaN or infinite loss or gradient, with `--on-nan skip`). */
  skipped?(message: string): void;
}

/**
 * Progress on the terminal: a bar per epoch with ETA, images/s and the running loss when stdout
 * is a terminal, a line every tenth of an epoch otherwise (logs, CI); one line per epoch always.
 */
export class ConsoleReporter implements TrainingReporter {
  private bar: SingleBar | null = null;
  private batches = 0;
  private epochLabel = '';
  private images = 0;
  private startedAt = 0;
  private lastLine = 0;

  constructor(private readonly interactive = Boolean(process.stdout.isTTY)) {}

  started(description: string): void {
    console.log(description);
  }

  resumed(checkpointPath: string, epoch: number, step: number): void {
    console.log(`resuming from ${checkpointPath}: epoch ${epoch + 1}, step ${step}`);
  }

  epochStarted(epoch: number, epochs: number, batches: number, firstBatch: number): void {
    this.batches = batches;
    this.epochLabel = `epoch ${epoch + 1}/${epochs}`;
    this.images = 0;
    this.startedAt = performance.now();
    this.lastLine = firstBatch;
    if (this.interactive) {
      this.bar = new SingleBar({
        format: `${this.epochLabel} [{bar}] {value}/{total} batches | ETA {eta_formatted} | {speed} img/s | loss {loss}`,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
      });
      this.bar.start(batches, firstBatch, { speed: '-', loss: '-' });
    }
  }

  stepDone(batchIndex: number, runningLoss: number, batchSize: number): void {
    this.images += batchSize;
    const speed = (this.images / ((performance.now() - this.startedAt) / 1000)).toFixed(0);
    if (this.bar) {
      this.bar.update(batchIndex, { speed, loss: runningLoss.toFixed(4) });
    } else if (
      batchIndex - this.lastLine >= Math.max(1, Math.round(this.batches / 10)) ||
      batchIndex === this.batches
    ) {
      this.lastLine = batchIndex;
      console.log(
        `${this.epochLabel}  ${batchIndex}/${this.batches} batches  ${speed} img/s  loss ${runningLoss.toFixed(4)}`,
      );
    }
  }

  epochDone(r: EpochRecord): void {
    this.bar?.stop();
    this.bar = null;
    console.log(
      `epoch ${r.epoch}  train loss ${r.trainLoss.toFixed(4)}  train acc ${formatPercent(r.trainAccuracy)}  test loss ${r.testLoss.toFixed(4)}  test acc ${formatPercent(r.testAccuracy)}  ${r.seconds.toFixed(1)} s`,
    );
  }

  skipped(message: string): void {
    this.bar?.stop();
    this.bar = null;
    console.warn(`warning: ${message}`);
  }

  interrupted(checkpointPath: string, step: number): void {
    this.bar?.stop();
    this.bar = null;
    console.log(
      `stopped at step ${step}; checkpoint written to ${checkpointPath} (continue with --resume)`,
    );
  }
}

/** A reporter that says nothing, for tests and library use. */
export const silentReporter: TrainingReporter = {
  started() {},
  resumed() {},
  epochStarted() {},
  stepDone() {},
  epochDone() {},
  interrupted() {},
};
