import { type EpochResult, formatPercent } from '@scratchnet/training';
import { SingleBar } from 'cli-progress';

/** What the training loop tells the person watching it. */
export interface TrainingReporter {
  started(description: string): void;
  resumed(checkpointPath: string, epoch: number, step: number): void;
  /** The run already in the (default) output folder was moved to `aside`. */
  movedPrevious?(out: string, aside: string): void;
  epochStarted(epoch: number, epochs: number, batches: number, firstBatch: number): void;
  /** After every step; the loss is not read back for it (see `lossRead`). */
  stepDone(batchIndex: number, batchSize: number): void;
  /** The epoch's running training loss, whenever the trainer reads losses back. */
  lossRead?(runningLoss: number): void;
  epochDone(record: EpochResult): void;
  /** A new best validation epoch (with --validation). */
  bestEpoch?(epoch: number): void;
  /** Early stopping ended the run after `epochs` epochs. */
  stoppedEarly?(epochs: number, bestEpoch: number): void;
  interrupted(checkpointPath: string, step: number): void;
  /** A batch was skipped (a NaN or infinite loss or gradient, with `--on-nan skip`). */
  skipped?(message: string): void;
}

/**
 * Progress on the terminal: a bar per epoch with ETA, images/s and the running loss when stdout
 * is a terminal; one line per epoch always, and nothing more when stdout is a file or a pipe
 * (logs, CI, `| head`).
 */
export class ConsoleReporter implements TrainingReporter {
  private bar: SingleBar | null = null;
  private epochLabel = '';
  private images = 0;
  private startedAt = 0;
  private runningLoss = Number.NaN;

  constructor(private readonly interactive = Boolean(process.stdout.isTTY)) {}

  started(description: string): void {
    console.log(description);
  }

  resumed(checkpointPath: string, epoch: number, step: number): void {
    console.log(`resuming from ${checkpointPath}: epoch ${epoch + 1}, step ${step}`);
  }

  movedPrevious(out: string, aside: string): void {
    console.log(`the previous run in ${out} was moved to ${aside}`);
  }

  epochStarted(epoch: number, epochs: number, batches: number, firstBatch: number): void {
    this.epochLabel = `epoch ${epoch + 1}/${epochs}`;
    this.images = 0;
    this.startedAt = performance.now();
    this.runningLoss = Number.NaN;
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

  lossRead(runningLoss: number): void {
    this.runningLoss = runningLoss;
  }

  stepDone(batchIndex: number, batchSize: number): void {
    const runningLoss = this.runningLoss;
    this.images += batchSize;
    const speed = (this.images / ((performance.now() - this.startedAt) / 1000)).toFixed(0);
    this.bar?.update(batchIndex, {
      speed,
      loss: Number.isNaN(runningLoss) ? '-' : runningLoss.toFixed(4),
    });
  }

  epochDone(r: EpochResult): void {
    this.bar?.stop();
    this.bar = null;
    const parts = [
      `epoch ${r.epoch}`,
      `train loss ${r.trainLoss.toFixed(4)}`,
      r.trainAccuracy !== undefined && `train acc ${formatPercent(r.trainAccuracy)}`,
      r.validationAccuracy !== undefined &&
        `val loss ${r.validationLoss!.toFixed(4)}  val acc ${formatPercent(r.validationAccuracy)}`,
      r.testAccuracy !== undefined &&
        `test loss ${r.testLoss!.toFixed(4)}  test acc ${formatPercent(r.testAccuracy)}`,
      `lr ${r.lr.toPrecision(3)}`,
      `${r.seconds.toFixed(1)} s`,
    ];
    console.log(parts.filter(Boolean).join('  '));
  }

  bestEpoch(epoch: number): void {
    console.log(`  best validation epoch so far: ${epoch}`);
  }

  stoppedEarly(epochs: number, bestEpoch: number): void {
    console.log(`early stopping after epoch ${epochs}; the best validation epoch was ${bestEpoch}`);
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
