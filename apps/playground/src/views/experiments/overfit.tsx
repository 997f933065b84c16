import { useState } from 'react';
import { NumberField } from '../../components/number-field.js';
import { Plot } from '../../components/plot.js';
import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { useExperiment } from '../../worker/experiment-client.js';
import { OVERFIT_SETTINGS, type Regularizer } from '../../worker/experiment-protocol.js';
import { RunControls } from './run-controls.js';

const REGULARIZERS: { value: Regularizer; label: 'ofNone' | 'ofWeightDecay' | 'ofDropout' }[] = [
  { value: 'none', label: 'ofNone' },
  { value: 'weightDecay', label: 'ofWeightDecay' },
  { value: 'dropout', label: 'ofDropout' },
];
const CAPTIONS = {
  none: 'ofNoneCaption',
  weightDecay: 'ofWeightDecayCaption',
  dropout: 'ofDropoutCaption',
} as const;

type Curves = { train: number[]; test: number[] };
const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);

/**
 * Section 6.4, figures 6-20, 6-21 and 6-23: a 7-layer network overfitting 300 images, without
 * regularization, with weight decay and with dropout; training and test accuracy per epoch.
 */
export function OverfitExperiment() {
  const t = useMessages(chapter6Messages);
  const [regularizer, setRegularizer] = useState<Regularizer>('none');
  const [epochs, setEpochs] = useState(OVERFIT_SETTINGS.none.epochs);
  const { data, status, error, start, stop, clear } = useExperiment<'overfit', Curves>(
    () => ({ train: [], test: [] }),
    (state, u) => ({
      train: [...state.train, u.trainAccuracy],
      test: [...state.test, u.testAccuracy],
    }),
  );
  const choose = (value: Regularizer) => {
    clear();
    setRegularizer(value);
    setEpochs(OVERFIT_SETTINGS[value].epochs);
  };
  const done = data.train.length;
  const figure = OVERFIT_SETTINGS[regularizer].figure;
  return (
    <section aria-labelledby="of-heading" className="panel experiment">
      <h3 id="of-heading">
        {t('ofHeading')}{' '}
        <span className="figure-number">({t('figures', { n: '6-20, 6-21, 6-23' })})</span>
      </h3>
      <p className="hint">{t('ofHint')}</p>
      <fieldset className="experiment-choice">
        <legend>{t('ofRegularizer')}</legend>
        {REGULARIZERS.map(({ value, label }) => (
          <label key={value}>
            <input
              type="radio"
              name="overfit-regularizer"
              value={value}
              checked={regularizer === value}
              onChange={() => choose(value)}
            />{' '}
            {t(label)}{' '}
            <span className="figure-number">
              ({t('figure', { n: OVERFIT_SETTINGS[value].figure })})
            </span>
          </label>
        ))}
      </fieldset>
      <div className="experiment-controls">
        <NumberField
          label={t('epochs')}
          value={epochs}
          min={2}
          max={1000}
          integer
          onChange={setEpochs}
        />
      </div>
      <RunControls
        id="of"
        status={status}
        error={error}
        done={done}
        total={epochs}
        onRun={() => start({ kind: 'overfit', regularizer, epochs })}
        onStop={stop}
        onReset={() => choose('none')}
      />
      <Plot
        label={`${t('ofPlot')} (${t('figure', { n: figure })})`}
        testId="of-plot"
        width={560}
        height={260}
        x={[0, epochs - 1]}
        y={[0, 1]}
        xLabel={t('epochAxis')}
        yLabel={t('accuracyAxis')}
        data={{ points: done }}
        series={[
          {
            label: t('ofTrain'),
            color: 'var(--chart-1)',
            points: data.train.map((a, e) => [e, a]),
          },
          {
            label: t('ofTest'),
            color: 'var(--chart-2)',
            dashed: true,
            points: data.test.map((a, e) => [e, a]),
          },
        ]}
      />
      <p className="experiment-result" aria-live="polite">
        {done > 0 &&
          t('ofGap', {
            epoch: done - 1,
            train: pct(data.train.at(-1)),
            test: pct(data.test.at(-1)),
          })}
      </p>
      <p className="hint">{t(CAPTIONS[regularizer])}</p>
    </section>
  );
}
