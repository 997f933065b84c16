import { NumberField } from '../../components/number-field.js';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import type { NumberRange } from '../../lib/number-input.js';
import { defaultLayer, type LayerSpec, type LayerType } from '../../lib/setup.js';
import type { TrainMessageKey } from './labels.js';
import { LayerTypeOptions } from './layer-type-options.js';

/** A number of a layer of type `T` that the editor lets one change. */
interface LayerField<T extends LayerType> extends NumberRange {
  key: Exclude<keyof Extract<LayerSpec, { type: T }>, 'type'>;
  label: TrainMessageKey;
}

/** Each layer type's number fields, in the order they are shown. */
const LAYER_FIELDS: { [T in LayerType]?: readonly LayerField<T>[] } = {
  conv: [
    { key: 'filters', label: 'filters', min: 1, max: 256, integer: true },
    { key: 'size', label: 'size', min: 1, max: 28, integer: true },
    { key: 'stride', label: 'stride', min: 1, max: 28, integer: true },
    { key: 'pad', label: 'pad', min: 0, max: 14, integer: true },
  ],
  pool: [{ key: 'size', label: 'size', min: 1, max: 28, integer: true }],
  linear: [{ key: 'units', label: 'units', min: 1, max: 4096, integer: true }],
  dropout: [{ key: 'p', label: 'dropoutP', min: 0, max: 0.95 }],
};

/** One layer of the network editor: its type, its numbers, its output shape, and moving it. */
export function LayerEditor({
  layer,
  index,
  count,
  shape,
  onChange,
  onRemove,
  onMove,
}: {
  layer: LayerSpec;
  index: number;
  count: number;
  shape: number[] | undefined;
  onChange: (layer: LayerSpec) => void;
  onRemove: () => void;
  onMove: (delta: number) => void;
}) {
  const n = index + 1;
  const t = useMessages(trainMessages);
  const fields: readonly (NumberRange & { key: string; label: TrainMessageKey })[] =
    LAYER_FIELDS[layer.type] ?? [];
  const numbers = layer as unknown as Record<string, number>;
  return (
    <li className="layer">
      <label className="field">
        {t('layerN', { n })}{' '}
        <select
          value={layer.type}
          onChange={(event) => onChange(defaultLayer(event.currentTarget.value as LayerType))}
        >
          <LayerTypeOptions />
        </select>
      </label>
      {fields.map((field) => (
        <NumberField
          // A new type gets new fields, not the last type's typed text or error.
          key={`${layer.type}-${field.key}`}
          label={t(field.label)}
          value={numbers[field.key]!}
          min={field.min}
          max={field.max}
          integer={field.integer}
          onChange={(value) => onChange({ ...layer, [field.key]: value } as LayerSpec)}
        />
      ))}
      <span className="shape">{shape ? `→ [${shape.join(', ')}]` : ''}</span>
      <button
        type="button"
        aria-label={t('moveUp', { n })}
        disabled={index === 0}
        onClick={() => onMove(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label={t('moveDown', { n })}
        disabled={index === count - 1}
        onClick={() => onMove(1)}
      >
        ↓
      </button>
      <button type="button" aria-label={t('remove', { n })} onClick={onRemove}>
        ✕
      </button>
    </li>
  );
}
