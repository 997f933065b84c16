import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { type TrainingState, useApp } from '../../store.js';

/** The run's state, step, epoch and speed, and the backend it runs on. */
export function StatusLine({ training: tr, epochs }: { training: TrainingState; epochs: number }) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const stateText = {
    loading: t('stateLoading'),
    idle: t('stateIdle'),
    running: t('stateRunning'),
    paused: t('statePaused'),
    stopped: t('stateStopped'),
    done: t('stateDone'),
  }[tr.state];
  const ips = tr.imagesPerSecond;
  const backend = tr.backend
    ? `${tr.backend.name}${
        tr.backend.name === 'wasm'
          ? ` (${t(tr.backend.threads === 1 ? 'threadOne' : 'threadMany', { n: tr.backend.threads })})`
          : ''
      }`
    : '…';
  return (
    <div className="status" role="status" data-testid="train-status" data-state={tr.state}>
      {stateText} · {t('statusStep', { step: String(tr.step) })} ·{' '}
      {t('statusEpoch', {
        epoch: tr.stepsPerEpoch ? (tr.step / tr.stepsPerEpoch).toFixed(2) : '0',
        epochs: String(epochs),
      })}{' '}
      ·{' '}
      <span
        data-testid="images-per-second"
        data-value={ips ?? ''}
        title={ips === null ? t('imagesPerSecondPending') : undefined}
      >
        {ips === null ? '—' : Math.round(ips).toLocaleString(lang)}
      </span>{' '}
      {t('imagesPerSecond')} · {t('backend')} <span data-testid="backend">{backend}</span>
      {globalThis.crossOriginIsolated
        ? ` · ${t('cores', { n: navigator.hardwareConcurrency })}`
        : ` ${t('notIsolated')}`}
    </div>
  );
}
