import { startTransition, useEffect, useState } from 'react';
import { NumberField } from '../components/number-field.js';
import { Plot } from '../components/plot.js';
import { chapter4Messages } from '../i18n/messages/chapter4.js';
import { useMessages } from '../i18n/use-messages.js';
import { useExperiment } from '../worker/experiment-client.js';
import { BOOK_GRADIENT_DESCENT, type Point } from '../worker/experiment-protocol.js';
import './experiments.css';

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(3);

/** Section 4.4.1, figure 4-10: gradient descent on x0² + x1², its learning rate to play with. */
function GradientDescent() {
  const t = useMessages(chapter4Messages);
  const [lr, setLr] = useState(BOOK_GRADIENT_DESCENT.lr);
  const [steps, setSteps] = useState(BOOK_GRADIENT_DESCENT.steps);
  const {
    data: path,
    status,
    error,
    start,
  } = useExperiment<'gradientDescent', Point[]>(
    () => [],
    (_, update) => update.path,
  );
  useEffect(() => {
    start(
      { kind: 'gradientDescent', start: BOOK_GRADIENT_DESCENT.start, lr, steps },
      { keep: true },
    );
  }, [lr, steps, start]);
  const end = path.at(-1);
  const reset = () => {
    setLr(BOOK_GRADIENT_DESCENT.lr);
    setSteps(BOOK_GRADIENT_DESCENT.steps);
  };
  return (
    <section aria-labelledby="gd-heading" className="panel experiment">
      <h3 id="gd-heading">
        {t('gdHeading')} <span className="figure-number">({t('figure', { n: '4-10' })})</span>
      </h3>
      <p className="hint">{t('gdHint')}</p>
      <div className="experiment-controls">
        <NumberField label={t('learningRate')} value={lr} min={1e-12} max={100} onChange={setLr} />
        <NumberField
          label={t('steps')}
          value={steps}
          min={1}
          max={1000}
          integer
          onChange={setSteps}
        />
        <button type="button" onClick={reset}>
          {t('reset')}
        </button>
      </div>
      <div className="experiment-plot-square">
        <Plot
          label={t('plotLabel')}
          testId="gd-plot"
          width={340}
          height={400}
          x={[-3.5, 3.5]}
          y={[-4.5, 4.5]}
          xTicks={[-3, -2, -1, 0, 1, 2, 3]}
          yTicks={[-4, -3, -2, -1, 0, 1, 2, 3, 4]}
          xLabel="x0"
          yLabel="x1"
          data={{
            points: path.length,
            lr,
            'end-x': end?.[0] ?? '',
            'end-y': end?.[1] ?? '',
            status,
            path: JSON.stringify(path.map(([a, b]) => [+a.toPrecision(4), +b.toPrecision(4)])),
          }}
          series={[
            { label: 'x', color: 'var(--chart-1)', points: path.slice(0, -1), mark: 'points' },
          ]}
        >
          {(s) => (
            <g className="plot-reference">
              <line x1={s.x(-5)} x2={s.x(5)} y1={s.y(0)} y2={s.y(0)} />
              <line x1={s.x(0)} x2={s.x(0)} y1={s.y(-5)} y2={s.y(5)} />
            </g>
          )}
        </Plot>
      </div>
      <p className="experiment-result" aria-live="polite" data-testid="gd-end">
        {error
          ? t('failed', { message: error })
          : end
            ? t('end', {
                steps: path.length - 1,
                x0: fmt(end[0]),
                x1: fmt(end[1]),
                f: fmt(end[0] ** 2 + end[1] ** 2),
              })
            : t('computing')}
      </p>
      <p className="hint">{t('tooLarge')}</p>
    </section>
  );
}

/** The book's chapter 4: learning by gradient descent. */
export function Chapter4View() {
  const t = useMessages(chapter4Messages);
  // Mounted in the task after the tab's click, so the click itself stays short.
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => startTransition(() => setMounted(true)), 0);
    return () => clearTimeout(timer);
  }, []);
  return (
    <section aria-labelledby="ch4-heading" className="view experiments">
      <h2 id="ch4-heading">{t('heading')}</h2>
      {mounted && <GradientDescent />}
    </section>
  );
}
