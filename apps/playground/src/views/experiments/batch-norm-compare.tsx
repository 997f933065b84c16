import { BATCH_NORM_WEIGHT_SCALES } from '@scratchnet/training';
import { useState } from 'react';
import { NumberField } from '../../components/number-field.js';
import { Plot } from '../../components/plot.js';
import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { useExperiment } from '../../worker/experiment-client.js';
import { BOOK_BATCH_NORM_EPOCHS } from '../../worker/experiment-protocol.js';
import { RunControls } from './run-controls.js';

type Runs = { train: number[]; batchNorm: number[] }[];

const SCALES = [...BATCH_NORM_WEIGHT_SCALES];

/**
 * Section 6.3.2, figure 6-19: at each of 16 initial weight scales, a network with and one
 * without batch normalization, the training accuracy per epoch; the panels fill in turn.
 */
export function BatchNormCompare() {
  const t = useMessages(chapter6Messages);
  const [epochs, setEpochs] = useState(BOOK_BATCH_NORM_EPOCHS);
  const { data, status, error, start, stop, clear } = useExperiment<'batchNorm', Runs>(
    () => SCALES.map(() => ({ train: [], batchNorm: [] })),
    (state, u) =>
      state.map((run, i) =>
        i === u.index
          ? {
              train: [...run.train, u.trainAccuracy],
              batchNorm: [...run.batchNorm, u.batchNormTrainAccuracy],
            }
          : run,
      ),
  );
  const done = data.reduce((sum, run) => sum + run.train.length, 0);
  return (
    <section aria-labelledby="bn-heading" className="panel experiment">
      <h3 id="bn-heading">
        {t('bnHeading')} <span className="figure-number">({t('figure', { n: '6-19' })})</span>
      </h3>
      <p className="hint">{t('bnHint')}</p>
      <div className="experiment-controls">
        <NumberField
          label={t('epochs')}
          value={epochs}
          min={1}
          max={100}
          integer
          onChange={setEpochs}
        />
      </div>
      <RunControls
        id="bn"
        status={status}
        error={error}
        done={done}
        total={SCALES.length * epochs}
        onRun={() => start({ kind: 'batchNorm', weightScales: SCALES, epochs })}
        onStop={stop}
        onReset={() => {
          clear();
          setEpochs(BOOK_BATCH_NORM_EPOCHS);
        }}
      />
      <div className="plot-legend">
        <span className="plot-key">
          <span className="plot-swatch" style={{ color: 'var(--chart-1)' }} aria-hidden="true" />
          {t('bnWith')}
        </span>
        <span className="plot-key">
          <span
            className="plot-swatch dashed"
            style={{ color: 'var(--chart-2)' }}
            aria-hidden="true"
          />
          {t('bnWithout')}
        </span>
      </div>
      <div className="bn-grid" data-testid="bn-grid" data-points={done}>
        {data.map((run, i) => (
          <div key={SCALES[i]} className="bn-panel">
            <span className="bn-scale">{t('bnPanel', { w: SCALES[i]!.toPrecision(2) })}</span>
            <Plot
              label={t('bnPanel', { w: SCALES[i]!.toPrecision(2) })}
              width={200}
              height={130}
              x={[0, Math.max(1, epochs - 1)]}
              y={[0, 1]}
              yTicks={[0, 0.5, 1]}
              legend={false}
              series={[
                {
                  label: t('bnWith'),
                  color: 'var(--chart-1)',
                  points: run.batchNorm.map((a, e) => [e, a]),
                },
                {
                  label: t('bnWithout'),
                  color: 'var(--chart-2)',
                  dashed: true,
                  points: run.train.map((a, e) => [e, a]),
                },
              ]}
            />
          </div>
        ))}
      </div>
    </section>
  );
}
