import { memo, useMemo } from 'react';
import { GrayCanvas } from '../../components/gray-canvas.js';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import type { TrainingState } from '../../store.js';

/** The first test images with the current predictions, framed green (right) or red (wrong). */
export const PredictionGrid = memo(function PredictionGrid({
  samples,
  predictions,
}: {
  samples: TrainingState['samples'];
  predictions: number[] | null;
}) {
  const t = useMessages(trainMessages);
  const sampleImages = useMemo(
    () =>
      samples
        ? samples.labels.map((_, i) =>
            Float32Array.from(samples!.pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
          )
        : [],
    [samples],
  );
  return (
    <div>
      <h3>{t('predictions')}</h3>
      <div className="grid predictions" data-testid="prediction-grid">
        {samples?.labels.map((label, i) => {
          const predicted = predictions?.[i];
          const state =
            predicted === undefined ? 'unknown' : predicted === label ? 'right' : 'wrong';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
            <figure key={`${i}-${label}`} className={`sample ${state}`} data-correct={state}>
              <GrayCanvas
                values={sampleImages[i]!}
                width={28}
                height={28}
                scale={1.5}
                label={t('testImage', { i: String(i), label: String(label) })}
              />
              <figcaption>{predicted ?? '?'}</figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
});
