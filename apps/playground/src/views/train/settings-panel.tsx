import { NumberField } from '../../components/number-field.js';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import type { NumberRange } from '../../lib/number-input.js';
import { OPTIMIZERS, type OptimizerName, type TrainSetup } from '../../lib/setup.js';
import type { TrainMessageKey } from './labels.js';

/** The set-up's hyperparameters that are numbers. */
type NumberSetting = {
  [K in keyof TrainSetup]: TrainSetup[K] extends number ? K : never;
}[keyof TrainSetup];

/** The number fields of the training settings, in the order they are shown. */
const SETTING_FIELDS: readonly (NumberRange & { key: NumberSetting; label: TrainMessageKey })[] = [
  { key: 'lr', label: 'learningRate', min: 1e-7, max: 10 },
  { key: 'batchSize', label: 'batchSize', min: 1, max: 10_000, integer: true },
  { key: 'weightDecay', label: 'weightDecay', min: 0, max: 1 },
  { key: 'epochs', label: 'epochs', min: 1, max: 100, integer: true },
  { key: 'seed', label: 'seed', min: 1, max: 2 ** 31 - 1, integer: true },
];

/** The optimizer and the hyperparameters of training. */
export function SettingsPanel({
  setup,
  editable,
  onChange,
}: {
  setup: TrainSetup;
  editable: boolean;
  onChange: (next: Partial<TrainSetup>) => void;
}) {
  const t = useMessages(trainMessages);
  return (
    <fieldset disabled={!editable} className="panel">
      <legend>{t('training')}</legend>
      <label className="field">
        {t('optimizer')}{' '}
        <select
          value={setup.optimizer}
          onChange={(event) => onChange({ optimizer: event.currentTarget.value as OptimizerName })}
        >
          {OPTIMIZERS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {SETTING_FIELDS.map((field) => (
        <NumberField
          key={field.key}
          label={t(field.label)}
          value={setup[field.key]}
          min={field.min}
          max={field.max}
          integer={field.integer}
          onChange={(value) => onChange({ [field.key]: value })}
        />
      ))}
      <p className="hint">{t('shareHint')}</p>
    </fieldset>
  );
}
