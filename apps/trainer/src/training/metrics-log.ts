import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochResult } from '@scratchnet/training';

/** One line per epoch, in metrics.jsonl and metrics.csv: the training library's record. */
export type EpochRecord = EpochResult;

/** One line per optimizer step, in steps.csv: the loss curve. */
export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
}

const epochColumns: (keyof EpochRecord)[] = [
  'epoch',
  'step',
  'trainLoss',
  'trainAccuracy',
  'validationLoss',
  'validationAccuracy',
  'testLoss',
  'testAccuracy',
  'lr',
  'seconds',
  'skippedBatches',
];

/**
 * The run's metrics on disk: JSON lines and CSV per epoch, CSV per step. Files are appended as
 * the run goes, so a crash loses nothing already written; a resumed run first cuts them back to
 * its checkpoint so that no line appears twice.
 */
export class MetricsLog {
  readonly files: { metricsJsonl: string; metricsCsv: string; stepsCsv: string };

  constructor(dir: string) {
    this.files = {
      metricsJsonl: join(dir, 'metrics.jsonl'),
      metricsCsv: join(dir, 'metrics.csv'),
      stepsCsv: join(dir, 'steps.csv'),
    };
  }

  reset(): void {
    writeFileSync(this.files.metricsJsonl, '');
    writeFileSync(this.files.metricsCsv, `${epochColumns.join(',')}\n`);
    writeFileSync(this.files.stepsCsv, 'step,epoch,loss\n');
  }

  /** Drops lines written after the checkpoint: steps after `step`, epochs after `completedEpochs`. */
  truncateTo(step: number, completedEpochs: number): void {
    if (!existsSync(this.files.metricsJsonl)) {
      this.reset();
      return;
    }
    const epochs = this.epochs().filter((e) => e.epoch <= completedEpochs);
    const steps = this.steps().filter((s) => s.step <= step);
    this.reset();
    for (const e of epochs) this.appendEpoch(e);
    if (steps.length > 0) {
      appendFileSync(
        this.files.stepsCsv,
        steps.map((s) => `${s.step},${s.epoch},${s.loss}\n`).join(''),
      );
    }
  }

  appendEpoch(record: EpochRecord): void {
    appendFileSync(this.files.metricsJsonl, `${JSON.stringify(record)}\n`);
    appendFileSync(
      this.files.metricsCsv,
      `${epochColumns.map((c) => record[c] ?? '').join(',')}\n`,
    );
  }

  appendStep(record: StepRecord): void {
    appendFileSync(this.files.stepsCsv, `${record.step},${record.epoch},${record.loss}\n`);
  }

  epochs(): EpochRecord[] {
    return readFileSync(this.files.metricsJsonl, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as EpochRecord);
  }

  steps(): StepRecord[] {
    return readFileSync(this.files.stepsCsv, 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [step, epoch, loss] = line.split(',').map(Number) as [number, number, number];
        return { step, epoch, loss };
      });
  }
}
