import { BOOK_WEIGHT_INITS, smoothCurve } from '@scratchnet/training';
import { useMemo, useState } from 'react';
import { NumberField } from '../../components/number-field.js';
import { Plot } from '../../components/plot.js';
import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { useExperiment } from '../../worker/experiment-client.js';
import { BOOK_WEIGHT_INIT_ITERATIONS } from '../../worker/experiment-protocol.js';
import { RunControls } from './run-controls.js';

const COLORS = ['var(--chart-2)', 'var(--chart-1)', 'var(--chart-3)'];
/** At most this many points per curve are drawn (the smoothed curve, thinned). */
const DRAWN = 400;

type Losses = Record<string, number[]>;

/** Section 6.2.4, figure 6-15: std 0.01, Xavier and He training on MNIST, the losses growing. */
export function WeightInitCompare() {
  const t = useMessages(chapter6Messages);
  const [iterations, setIterations] = useState(BOOK_WEIGHT_INIT_ITERATIONS);
  const { data, status, error, start, stop, clear } = useExperiment<'weightInit', Losses>(
    () => ({}),
    (state, { losses }) => {
      const next: Losses = { ...state };
      for (const [name, values] of Object.entries(losses)) {
        next[name] = [...(state[name] ?? []), ...values];
      }
      return next;
    },
  );
  const done = data[BOOK_WEIGHT_INITS[0]!.name]?.length ?? 0;
  const series = useMemo(
    () =>
      BOOK_WEIGHT_INITS.map(({ name }, k) => {
        const smooth = smoothCurve(data[name] ?? []);
        const every = Math.max(1, Math.ceil(smooth.length / DRAWN));
        const points = smooth
          .map((v, i) => [i, v] as [number, number])
          .filter(([i]) => i % every === 0 || i === smooth.length - 1);
        return { label: name, color: COLORS[k]!, points };
      }),
    [data],
  );
  return (
    <section aria-labelledby="wi-heading" className="panel experiment">
      <h3 id="wi-heading">
        {t('wiHeading')} <span className="figure-number">({t('figure', { n: '6-15' })})</span>
      </h3>
      <p className="hint">{t('wiHint')}</p>
      <div className="experiment-controls">
        <NumberField
          label={t('iterations')}
          value={iterations}
          min={10}
          max={10000}
          integer
          onChange={setIterations}
        />
      </div>
      <RunControls
        id="wi"
        status={status}
        error={error}
        done={done}
        total={iterations}
        onRun={() => start({ kind: 'weightInit', iterations })}
        onStop={stop}
        onReset={() => {
          clear();
          setIterations(BOOK_WEIGHT_INIT_ITERATIONS);
        }}
      />
      <Plot
        label={t('wiPlot')}
        testId="wi-plot"
        width={560}
        height={260}
        x={[0, iterations]}
        y={[0, 2.5]}
        xLabel={t('iterationAxis')}
        yLabel={t('lossAxis')}
        series={series}
        data={{ points: done }}
      />
    </section>
  );
}
