import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { type TrainingState, useApp } from '../../store.js';

/** The losses say training went wrong: what happened, and what to try. */
export function DivergenceAlert({
  divergence,
  lr,
  predictions,
}: {
  divergence: NonNullable<TrainingState['divergence']>;
  lr: number;
  predictions: number[] | null;
}) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const loss = (x: number) => x.toLocaleString(lang, { maximumFractionDigits: 3 });
  const params = {
    step: divergence.step,
    start: loss(divergence.startLoss),
    recent: loss(divergence.recentLoss),
  };
  const what =
    divergence.kind === 'non-finite'
      ? t('divergedNonFinite', params)
      : divergence.kind === 'exploding'
        ? t('divergedExploding', params)
        : t('divergedStuck', params);
  const same =
    predictions && predictions.length > 0 && predictions.every((p) => p === predictions[0])
      ? t('sameDigit', { digit: String(predictions[0]) })
      : null;
  const suggestion = Number((lr / 10).toPrecision(2));
  return (
    <div
      className="alert error"
      role="alert"
      data-testid="divergence"
      data-kind={divergence.kind}
      title={divergence.message}
    >
      <p>
        {what}
        {same && ` ${same}`}
      </p>
      <p>
        <strong>{t('divergedHint', { lr: String(lr), suggestion: String(suggestion) })}</strong>
      </p>
    </div>
  );
}
