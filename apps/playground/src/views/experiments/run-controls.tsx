import { chapter6Messages } from '../../i18n/messages/chapter6.js';
import { useMessages } from '../../i18n/use-messages.js';
import { type RunStatus, useExperimentWorker } from '../../worker/experiment-client.js';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * Run, Stop and Reset of an MNIST experiment, and a line that says where it is: loading MNIST,
 * running (`done` of `total`), stopped, done or failed.
 */
export function RunControls({
  id,
  status,
  error,
  done,
  total,
  onRun,
  onStop,
  onReset,
}: {
  id: string;
  status: RunStatus;
  error: string | null;
  done: number;
  total: number;
  onRun(): void;
  onStop(): void;
  onReset(): void;
}) {
  const t = useMessages(chapter6Messages);
  const mnist = useExperimentWorker((s) => s.mnist);
  const running = status === 'running';
  const loading = running && done === 0 && mnist !== null && mnist.loaded < mnist.total;
  const text =
    status === 'error'
      ? t('statusError', { message: error ?? '' })
      : status === 'idle'
        ? t('statusIdle')
        : loading
          ? t('statusLoading', { loaded: mb(mnist?.loaded ?? 0), total: mb(mnist?.total ?? 0) })
          : running && done === 0
            ? t('statusStarting')
            : t(running ? 'statusRunning' : status === 'done' ? 'statusDone' : 'statusStopped', {
                done,
                total,
              });
  return (
    <div className="run-controls">
      <div className="experiment-buttons">
        <button type="button" onClick={onRun} disabled={running} data-testid={`${id}-run`}>
          {t('run')}
        </button>
        <button type="button" onClick={onStop} disabled={!running} data-testid={`${id}-stop`}>
          {t('stop')}
        </button>
        <button type="button" onClick={onReset} data-testid={`${id}-reset`}>
          {t('reset')}
        </button>
      </div>
      <p
        className={status === 'error' ? 'run-status error' : 'run-status'}
        role="status"
        data-testid={`${id}-status`}
        data-status={status}
        data-done={done}
      >
        {text}
      </p>
    </div>
  );
}
