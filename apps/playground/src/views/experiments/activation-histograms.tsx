import type { HistogramActivation, WeightInitName } from '@scratchnet/training';
import { startTransition, useEffect, useState } from 'react';
import { Histogram } from '../../components/histogram.js';
import { histogramBars, histogramScale } from '../../components/plot-scale.js';
import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { useExperiment } from '../../worker/experiment-client.js';
import type { HistogramPanel } from '../../worker/experiment-protocol.js';

type Key = keyof typeof chapter6Messages.en;

const INIT_KEYS: Record<WeightInitName, string> = {
  'std 1': 'std1',
  'std 0.01': 'std001',
  Xavier: 'xavier',
  He: 'he',
};

/** The book's figure for an activation and initial weights (tanh has none). */
function figureOf(activation: HistogramActivation, init: WeightInitName): string | null {
  if (activation === 'sigmoid') {
    return { 'std 1': '6-10', 'std 0.01': '6-11', Xavier: '6-13', He: null }[init];
  }
  if (activation === 'relu' && init !== 'std 1') return '6-14';
  return null;
}

const ACTIVATIONS: { value: HistogramActivation; label: string }[] = [
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'tanh', label: 'tanh' },
  { value: 'relu', label: 'ReLU' },
];

/**
 * Section 6.2.2, figures 6-10 to 6-14: each initial weight's activation histograms for the chosen
 * activation, computed in the worker (switching sends one request; the page only draws).
 */
export function ActivationHistogramsView() {
  const t = useMessages(chapter6Messages);
  const [activation, setActivation] = useState<HistogramActivation>('sigmoid');
  const { data, start } = useExperiment<
    'histograms',
    { activation: HistogramActivation; panels: HistogramPanel[] } | null
  >(
    () => null,
    (_, update) => update,
  );
  useEffect(() => start({ kind: 'histograms', activation }, { keep: true }), [activation, start]);
  // The panels of a new result replace the shown ones one initial weight per task (a commit of
  // five histograms each, not twenty at once); `keep` leaves the last result until then.
  const [shown, setShown] = useState<{ activation: HistogramActivation; panel: HistogramPanel }[]>(
    [],
  );
  useEffect(() => {
    if (!data) return;
    let row = 0;
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      row++;
      const fresh = data.panels
        .slice(0, row)
        .map((panel) => ({ activation: data.activation, panel }));
      startTransition(() => setShown((old) => [...fresh, ...old.slice(row)]));
      if (row < data.panels.length) timer = setTimeout(next, 0);
    };
    timer = setTimeout(next, 0);
    return () => clearTimeout(timer);
  }, [data]);
  const shownActivation =
    shown.length === 4 && shown.every((p) => p.activation === shown[0]!.activation)
      ? shown[0]!.activation
      : '';
  return (
    <section aria-labelledby="hist-heading" className="panel experiment">
      <h3 id="hist-heading">
        {t('histHeading')}{' '}
        <span className="figure-number">({t('figures', { n: '6-10 – 6-14' })})</span>
      </h3>
      <p className="hint">{t('histHint')}</p>
      <div className="experiment-controls">
        <label className="field">
          {t('activation')}{' '}
          <select
            value={activation}
            data-testid="histogram-activation"
            onChange={(event) => setActivation(event.currentTarget.value as HistogramActivation)}
          >
            {ACTIVATIONS.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div
        className="histogram-rows"
        data-testid="histograms"
        data-activation={shownActivation}
        aria-busy={shownActivation !== activation}
      >
        {shown.map(({ activation: shownAs, panel }) => {
          const rows = panel.layers.map((counts, l) =>
            histogramBars(counts, {
              zeros: panel.zeros[l],
              below: panel.below[l],
              above: panel.above[l],
              lo: panel.lo,
              hi: panel.hi,
            }),
          );
          const scale = histogramScale(rows);
          const figure = figureOf(shownAs, panel.init);
          const caption = `${shownAs}_${INIT_KEYS[panel.init]}` as Key;
          return (
            <div
              key={panel.init}
              className="histogram-row"
              data-testid={`histogram-row-${INIT_KEYS[panel.init]}`}
            >
              <div className="histogram-row-head">
                <h4>{panel.init}</h4>
                <span className="hint">{t('rowScale', { n: scale })}</span>
              </div>
              <div className="histogram-layers">
                {rows.map((bars, l) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
                  <div key={l} className="histogram-layer">
                    <span className="histogram-layer-name">{t('layerN', { n: l + 1 })}</span>
                    <Histogram
                      bars={bars}
                      lo={panel.lo}
                      hi={panel.hi}
                      scale={scale}
                      label={t('histPanel', { init: panel.init, n: l + 1 })}
                      zeroLabel={(share) => t('zeroShare', { share })}
                      aboveLabel={(share) => t('aboveShare', { hi: panel.hi, share })}
                    />
                  </div>
                ))}
              </div>
              <p className="histogram-caption" data-testid="histogram-caption">
                {t(caption)}
                {figure && <span className="figure-number"> ({t('figure', { n: figure })})</span>}
              </p>
            </div>
          );
        })}
      </div>
    </section>
  );
}
