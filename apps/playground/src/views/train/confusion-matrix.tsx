import { memo } from 'react';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import type { TrainingState } from '../../store.js';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Rows: true digit; columns: predicted; the good colour on the diagonal, the bad one off it. */
export const ConfusionMatrix = memo(function ConfusionMatrix({
  confusion,
}: {
  confusion: TrainingState['confusion'];
}) {
  const t = useMessages(trainMessages);
  const confusionMax = confusion ? Math.max(1, ...confusion.counts) : 1;
  return (
    <div>
      <h3>{t('confusion')}</h3>
      {confusion ? (
        <table className="confusion" data-testid="confusion">
          <caption>{t('confusionCaption', { count: confusion.testCount })}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">{t('confusionCorner')}</span>
              </th>
              {Array.from({ length: 10 }, (_, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 10 }, (_, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
              <tr key={r}>
                <th scope="row">{r}</th>
                {DIGITS.map((c) => {
                  const v = confusion!.counts[r * 10 + c]!;
                  const share = v === 0 ? 0 : Math.round(15 + 85 * Math.sqrt(v / confusionMax));
                  const color = r === c ? 'var(--color-good)' : 'var(--color-bad)';
                  return (
                    <td
                      key={c}
                      style={{
                        background: `color-mix(in srgb, ${color} ${share}%, transparent)`,
                      }}
                    >
                      {v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('confusionLater')}</p>
      )}
    </div>
  );
});
