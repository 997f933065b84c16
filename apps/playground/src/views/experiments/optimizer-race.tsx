import { BOOK_RACE_LR, bowl, RACE_OPTIMIZERS, type RaceOptimizer } from '@scratchnet/training';
import { useEffect, useState } from 'react';
import { NumberField } from '../../components/number-field.js';
import { Plot } from '../../components/plot.js';
import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { useExperiment } from '../../worker/experiment-client.js';
import type { Point } from '../../worker/experiment-protocol.js';

const COLORS: Record<RaceOptimizer, string> = {
  SGD: 'var(--chart-2)',
  Momentum: 'var(--chart-1)',
  AdaGrad: 'var(--chart-3)',
  Adam: 'var(--chart-4)',
};
const STEPS = 30;
const LEVELS = [0.5, 1, 2, 4, 8, 16];

/**
 * Section 6.1.7, figure 6-8: SGD, Momentum, AdaGrad and Adam on x²/20 + y² from (−7, 2), each
 * learning rate editable (typed text is committed on Enter or blur), computed in the worker.
 */
export function OptimizerRace() {
  const t = useMessages(chapter6Messages);
  const [lrs, setLrs] = useState<Record<RaceOptimizer, number>>({ ...BOOK_RACE_LR });
  const { data: paths, start } = useExperiment<'race', Partial<Record<RaceOptimizer, Point[]>>>(
    () => ({}),
    (_, update) => update.paths,
  );
  useEffect(() => start({ kind: 'race', lrs, steps: STEPS }, { keep: true }), [lrs, start]);
  return (
    <section aria-labelledby="race-heading" className="panel experiment">
      <h3 id="race-heading">
        {t('raceHeading')} <span className="figure-number">({t('figure', { n: '6-8' })})</span>
      </h3>
      <p className="hint">{t('raceHint')}</p>
      <div className="experiment-controls">
        <button type="button" onClick={() => setLrs({ ...BOOK_RACE_LR })} data-testid="race-reset">
          {t('reset')}
        </button>
      </div>
      <div className="race-grid">
        {RACE_OPTIMIZERS.map((name) => {
          const path = paths[name] ?? [];
          const end = path.at(-1);
          return (
            <div
              key={name}
              className="race"
              data-testid={`race-${name}`}
              data-lr={lrs[name]}
              data-points={path.length}
              data-end={end ? bowl(end[0], end[1]) : ''}
            >
              <h4 className="race-name" style={{ color: COLORS[name] }}>
                {name}
              </h4>
              <Plot
                label={t('racePlot', { name })}
                width={340}
                height={190}
                x={[-10, 10]}
                y={[-5, 5]}
                legend={false}
                series={[{ label: name, color: COLORS[name], points: path, mark: 'both' }]}
              >
                {(s) => (
                  <g className="plot-contours">
                    {LEVELS.map((c) => (
                      <ellipse
                        key={c}
                        cx={s.x(0)}
                        cy={s.y(0)}
                        rx={s.x(Math.sqrt(20 * c)) - s.x(0)}
                        ry={s.y(0) - s.y(Math.sqrt(c))}
                      />
                    ))}
                    <rect
                      className="plot-target"
                      x={s.x(0) - 3}
                      y={s.y(0) - 3}
                      width={6}
                      height={6}
                    />
                  </g>
                )}
              </Plot>
              <div className="race-foot">
                <NumberField
                  label={t('raceLr', { name })}
                  value={lrs[name]}
                  min={1e-6}
                  max={10}
                  onChange={(lr) => setLrs((old) => ({ ...old, [name]: lr }))}
                />
                <span className="race-end" data-testid={`race-${name}-end`}>
                  {end ? t('raceEnd', { f: bowl(end[0], end[1]).toExponential(2) }) : ''}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
