import { useEffect, useMemo, useState } from 'react';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { download, stepsCsv } from '../../lib/download.js';
import { previewNetwork } from '../../lib/network.js';
import { ensureWorker, trainer } from '../../lib/trainer-client.js';
import { useApp } from '../../store.js';
import { AccuracyNumbers } from './accuracy-numbers.js';
import { ChartsPanel } from './charts-panel.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { ContinueQuestion } from './continue-question.js';
import { DivergenceAlert } from './divergence-alert.js';
import { Editor } from './editor.js';
import type { Preview } from './network-panel.js';
import { PredictionGrid } from './prediction-grid.js';
import { StatusLine } from './status-line.js';
import './train-view.css';

/** Build, train and watch a network on MNIST, in a Web Worker. */
export function TrainView() {
  const t = useMessages(trainMessages);
  const setup = useApp((s) => s.setup);
  const tr = useApp((s) => s.training);
  const [asking, setAsking] = useState(false);

  useEffect(() => ensureWorker(useApp.getState().setup), []);

  const preview = useMemo((): Preview => {
    try {
      const { shapes, params } = previewNetwork(setup.layers);
      return { shapes, params, error: null };
    } catch (error) {
      return { shapes: [], params: 0, error: (error as Error).message };
    }
  }, [setup.layers]);

  const editable = tr.state !== 'running' && tr.state !== 'paused';
  const kept = (tr.state === 'stopped' || tr.state === 'done') && tr.step > 0;
  const progress = tr.loadProgress;
  // A new run (the set-up changed, a reset) needs no question.
  useEffect(() => {
    if (!kept) setAsking(false);
  }, [kept]);

  const start = () => {
    if (kept) setAsking(true);
    else trainer.start();
  };

  return (
    <section aria-labelledby="train-heading" className="view train-view">
      <h2 id="train-heading">{t('heading')}</h2>
      <StatusLine training={tr} epochs={setup.epochs} />
      {tr.backend?.error && <p className="error">{t('wasmFailed', { error: tr.backend.error })}</p>}
      {progress && progress.loaded < progress.total && (
        <label className="field">
          {t('download')}{' '}
          <progress value={progress.loaded} max={progress.total} data-testid="mnist-progress" />{' '}
          {t('megabytes', {
            loaded: (progress.loaded / 1e6).toFixed(1),
            total: (progress.total / 1e6).toFixed(1),
          })}
        </label>
      )}
      {tr.error && (
        <p role="alert" className="error">
          {tr.error}
        </p>
      )}
      {tr.divergence && (
        <DivergenceAlert divergence={tr.divergence} lr={setup.lr} predictions={tr.predictions} />
      )}

      <div className="controls" role="toolbar" aria-label={t('controls')}>
        <button
          type="button"
          className="primary"
          onClick={start}
          disabled={tr.state === 'loading' || tr.state === 'running' || !!preview.error || asking}
        >
          {tr.state === 'paused' ? t('resume') : t('start')}
        </button>
        <button type="button" onClick={trainer.pause} disabled={tr.state !== 'running'}>
          {t('pause')}
        </button>
        <button
          type="button"
          onClick={trainer.step}
          disabled={tr.state === 'loading' || tr.state === 'running' || !!preview.error}
        >
          {t('step')}
        </button>
        <button
          type="button"
          onClick={trainer.stop}
          disabled={tr.state !== 'running' && tr.state !== 'paused'}
        >
          {t('stop')}
        </button>
        <button type="button" onClick={trainer.reset} disabled={tr.state === 'loading'}>
          {t('reset')}
        </button>
        <button
          type="button"
          disabled={tr.series.batchStep.length === 0}
          title={t('downloadCsvTitle')}
          onClick={() =>
            download(
              stepsCsv(tr.series.batchStep, tr.series.batchLoss, tr.stepsPerEpoch),
              'steps.csv',
              'text/csv',
            )
          }
        >
          {t('downloadCsv')}
        </button>
      </div>
      {asking && kept && (
        <ContinueQuestion
          step={tr.step}
          done={tr.state === 'done'}
          epochs={setup.epochs}
          onAnswer={(answer) => {
            setAsking(false);
            if (answer === 'continue') trainer.start(false);
            if (answer === 'start-over') trainer.start(true);
          }}
        />
      )}

      <AccuracyNumbers series={tr.series} version={tr.version} />

      <ChartsPanel series={tr.series} version={tr.version} />

      <Editor setup={setup} editable={editable} startsOver={kept} preview={preview} />

      <div className="row">
        <PredictionGrid samples={tr.samples} predictions={tr.predictions} />
        <ConfusionMatrix confusion={tr.confusion} />
      </div>
    </section>
  );
}
