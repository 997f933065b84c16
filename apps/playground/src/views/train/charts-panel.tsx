import { useMemo, useState } from 'react';
import { type ChartSeries, LineChart } from '../../components/line-chart.js';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import {
  accuracyData,
  accuracyTick,
  firstMean,
  lastMean,
  lossData,
  zoomedAccuracy,
} from '../../lib/train-charts.js';
import { type TrainingSeries, useApp } from '../../store.js';

/** The loss and the accuracy chart, with the loss at the start and now, and the axis switch. */
export function ChartsPanel({ series, version }: { series: TrainingSeries; version: number }) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const [wholeRange, setWholeRange] = useState(false);
  const lossSeries = series.batchLoss;

  const lossLines = useMemo<ChartSeries[]>(
    () => [
      { label: t('seriesTrainBatch'), color: '--chart-2', faint: true },
      { label: t('seriesTrainEpoch'), color: '--chart-1', points: true },
      { label: t('seriesTestEpoch'), color: '--chart-4', points: true },
    ],
    [t],
  );
  const accuracyLines = useMemo<ChartSeries[]>(
    () => [
      { label: t('seriesBatch'), color: '--chart-1', faint: true },
      { label: t('seriesTestQuick'), color: '--chart-3', points: true },
      { label: t('seriesTrainEpoch'), color: '--chart-1', points: true },
      { label: t('seriesTestEpoch'), color: '--chart-4', points: true },
    ],
    [t],
  );

  return (
    <div className="train-charts">
      <div>
        <LineChart
          title={t('lossChart')}
          xLabel={t('axisStep')}
          yLabel={t('axisLoss')}
          testId="loss-chart"
          series={lossLines}
          data={() => lossData(series)}
          version={version}
        />
        <p
          className="hint"
          data-testid="loss-summary"
          data-first={firstMean(lossSeries, 10)}
          data-last={lastMean(lossSeries, 10)}
        >
          {lossSeries.length > 0
            ? t('lossSummary', {
                first: firstMean(lossSeries, 10).toFixed(3),
                last: lastMean(lossSeries, 10).toFixed(3),
              })
            : t('noSteps')}
        </p>
      </div>
      <div>
        <LineChart
          title={t('accuracyChart')}
          xLabel={t('axisStep')}
          yLabel={t('axisAccuracy')}
          testId="accuracy-chart"
          yRange={() => (wholeRange ? [0, 1] : zoomedAccuracy(series))}
          yFormat={(v) => accuracyTick(v, lang)}
          series={accuracyLines}
          data={() => accuracyData(series)}
          version={version + (wholeRange ? 0.5 : 0)}
        />
        <label className="field hint">
          <input
            type="checkbox"
            checked={wholeRange}
            onChange={(event) => setWholeRange(event.currentTarget.checked)}
          />{' '}
          {t('wholeRange')}
        </label>
      </div>
    </div>
  );
}
