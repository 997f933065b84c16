import { useMemo } from 'react';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { formatPercent, testEvaluations } from '../../lib/train-charts.js';
import { accuracySummary } from '../../lib/train-stats.js';
import { type TrainingSeries, useApp } from '../../store.js';

/** The final and the best test accuracy, as numbers. */
export function AccuracyNumbers({ series, version }: { series: TrainingSeries; version: number }) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the series grow in place; `version` says when
  const summary = useMemo(() => accuracySummary(testEvaluations(series)), [series, version]);
  if (!summary) return <p className="hint">{t('noAccuracy')}</p>;
  const item = (
    testId: string,
    title: string,
    e: { step: number; accuracy: number; count: number },
  ) => (
    <div
      className="accuracy-number"
      data-testid={testId}
      data-value={e.accuracy}
      data-step={e.step}
    >
      <dt>{title}</dt>
      <dd>
        <span className="accuracy-value">{formatPercent(e.accuracy, lang)}</span>
        <span className="hint">{t('accuracyAt', { step: e.step, count: e.count })}</span>
      </dd>
    </div>
  );
  return (
    <dl className="accuracy-numbers">
      {item('final-accuracy', t('finalAccuracy'), summary.final)}
      {item('best-accuracy', t('bestAccuracy'), summary.best)}
    </dl>
  );
}
