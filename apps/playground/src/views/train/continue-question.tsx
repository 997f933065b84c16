import { useEffect, useRef } from 'react';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';

/** Start after a stop: go on with the trained network, or begin anew. */
export function ContinueQuestion({
  step,
  done,
  epochs,
  onAnswer,
}: {
  step: number;
  done: boolean;
  epochs: number;
  onAnswer: (answer: 'continue' | 'start-over' | 'cancel') => void;
}) {
  const t = useMessages(trainMessages);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="panel train-question"
      role="alertdialog"
      aria-labelledby="train-question-title"
      aria-describedby="train-question-text"
      data-testid="continue-question"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onAnswer('cancel');
      }}
    >
      <h3 id="train-question-title">{t('askTitle')}</h3>
      <p id="train-question-text">
        {done ? t('askDone', { step, epochs }) : t('askStopped', { step })}
      </p>
      <div className="controls">
        {!done && (
          <button
            ref={first}
            type="button"
            className="primary"
            onClick={() => onAnswer('continue')}
          >
            {t('continue')}
          </button>
        )}
        <button ref={done ? first : undefined} type="button" onClick={() => onAnswer('start-over')}>
          {t('startOver')}
        </button>
        <button type="button" onClick={() => onAnswer('cancel')}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
