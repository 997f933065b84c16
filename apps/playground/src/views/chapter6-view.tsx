import {
  activationHistograms,
  BOOK_RACE_LR,
  bowl,
  type HistogramActivation,
  RACE_OPTIMIZERS,
  type RaceOptimizer,
  racePath,
  WEIGHT_INITS,
} from '@scratchnet/training';
import { useMemo, useState } from 'react';
import { NumberField } from '../components/number-field.js';

const COLORS: Record<RaceOptimizer, string> = {
  SGD: '#d62728',
  Momentum: '#1f77b4',
  AdaGrad: '#2ca02c',
  Adam: '#9467bd',
};

const W = 360;
const H = 180;
const toX = (x: number) => ((x + 10) / 20) * W;
const toY = (y: number) => H - ((y + 5) / 10) * H;

function OptimizerRace() {
  const [lrs, setLrs] = useState<Record<RaceOptimizer, number>>(BOOK_RACE_LR);
  const paths = useMemo(
    () => RACE_OPTIMIZERS.map((name) => ({ name, path: racePath(name, lrs[name]) })),
    [lrs],
  );
  const levels = [0.5, 1, 2, 4, 8, 16];
  return (
    <section aria-labelledby="race-heading" className="panel">
      <h3 id="race-heading">Optimizer race on f(x, y) = x²/20 + y²</h3>
      <p className="hint">
        30 steps from (−7, 2) with the library's optimizers; the minimum is at (0, 0).
      </p>
      <div className="row">
        {paths.map(({ name, path }) => {
          const end = path[path.length - 1]!;
          return (
            <figure key={name} className="race" data-testid={`race-${name}`}>
              <svg
                width={W}
                height={H}
                viewBox={`0 0 ${W} ${H}`}
                role="img"
                aria-label={`${name} path`}
              >
                <rect width={W} height={H} fill="#fafafa" />
                {levels.map((c) => (
                  <ellipse
                    key={c}
                    cx={toX(0)}
                    cy={toY(0)}
                    rx={(Math.sqrt(20 * c) / 20) * W}
                    ry={(Math.sqrt(c) / 10) * H}
                    fill="none"
                    stroke="#ccc"
                  />
                ))}
                <polyline
                  points={path.map(([x, y]) => `${toX(x)},${toY(y)}`).join(' ')}
                  fill="none"
                  stroke={COLORS[name]}
                  strokeWidth={1.5}
                />
                {path.map(([x, y], i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: points of a path
                  <circle key={i} cx={toX(x)} cy={toY(y)} r={2} fill={COLORS[name]} />
                ))}
                <text x={6} y={14} fontSize={13}>
                  {name}
                </text>
              </svg>
              <figcaption>
                <NumberField
                  label={`${name} learning rate`}
                  value={lrs[name]}
                  min={1e-6}
                  max={10}
                  onChange={(lr) => setLrs({ ...lrs, [name]: lr })}
                />{' '}
                f = {bowl(end[0], end[1]).toExponential(2)} after 30 steps
              </figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}

function Histograms() {
  const [activation, setActivation] = useState<HistogramActivation>('sigmoid');
  const results = useMemo(
    () => WEIGHT_INITS.map((init) => ({ init, h: activationHistograms(init, activation) })),
    [activation],
  );
  const bw = 120;
  const bh = 60;
  return (
    <section aria-labelledby="hist-heading" className="panel">
      <h3 id="hist-heading">
        Activation histograms of a 5-layer network (1000 inputs, 100 units, as the book)
      </h3>
      <label className="field">
        Activation{' '}
        <select
          value={activation}
          onChange={(event) => setActivation(event.currentTarget.value as HistogramActivation)}
        >
          <option value="sigmoid">sigmoid</option>
          <option value="tanh">tanh</option>
          <option value="relu">ReLU</option>
        </select>
      </label>
      <table className="histograms" data-testid="histograms">
        <thead>
          <tr>
            <th scope="col">weights</th>
            {[1, 2, 3, 4, 5].map((l) => (
              <th key={l} scope="col">
                layer {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {results.map(({ init, h }) => (
            <tr key={init}>
              <th scope="row">{init}</th>
              {h.layers.map((counts, l) => {
                const max = Math.max(1, ...counts);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
                  <td key={l}>
                    <svg width={bw} height={bh} role="img" aria-label={`${init}, layer ${l + 1}`}>
                      {counts.map((c, b) => (
                        <rect
                          // biome-ignore lint/suspicious/noArrayIndexKey: bins are positional
                          key={b}
                          x={(b * bw) / counts.length}
                          y={bh - (c / max) * bh}
                          width={bw / counts.length - 0.5}
                          height={(c / max) * bh}
                          fill="#1f77b4"
                        />
                      ))}
                    </svg>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Range {results[0]?.h.lo} to {results[0]?.h.hi}. With std 1 sigmoid outputs pile up at 0 and
        1 (vanishing gradients); with 0.01 they collapse to 0.5 (no expressiveness); Xavier keeps
        them spread, and He does the same for ReLU.
      </p>
    </section>
  );
}

/** The book's chapter 6 in pictures. */
export function Chapter6View() {
  return (
    <section aria-labelledby="ch6-heading" className="view">
      <h2 id="ch6-heading">Chapter 6: learning techniques</h2>
      <OptimizerRace />
      <Histograms />
    </section>
  );
}
