import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { LAYER_TYPES } from '../../lib/setup.js';
import { LAYER_LABEL_KEYS } from './labels.js';

/** An option for each layer type, named in the page's language. */
export function LayerTypeOptions() {
  const t = useMessages(trainMessages);
  return (
    <>
      {LAYER_TYPES.map((type) => (
        <option key={type} value={type}>
          {t(LAYER_LABEL_KEYS[type])}
        </option>
      ))}
    </>
  );
}
