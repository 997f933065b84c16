import { useMemo } from 'react';
import { trainMessages } from '../../i18n/messages/train.js';
import { useMessages } from '../../i18n/use-messages.js';
import { defaultLayer, type LayerSpec, type LayerType } from '../../lib/setup.js';
import { useApp } from '../../store.js';
import { LayerEditor } from './layer-editor.js';
import { LayerTypeOptions } from './layer-type-options.js';

/** The network the layers build: each output shape, the parameters, or why it cannot be built. */
export interface Preview {
  shapes: number[][];
  params: number;
  error: string | null;
}

/** The layers of the network, to edit, move, remove and add. */
export function NetworkPanel({
  layers,
  editable,
  startsOver,
  preview,
  onChange,
}: {
  layers: LayerSpec[];
  editable: boolean;
  /** A stopped run is kept: editing throws it away, and says so. */
  startsOver: boolean;
  preview: Preview;
  onChange: (layers: LayerSpec[]) => void;
}) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);

  // Each spec's output shape: flatten layers inserted by the builder are skipped.
  const specShapes = useMemo(() => {
    const out: number[][] = [];
    let k = 0;
    layers.forEach((spec, i) => {
      const prev = i === 0 ? [1, 28, 28] : out[i - 1]!;
      if (spec.type === 'linear' && prev.length === 3) k++;
      out.push(preview.shapes[k] ?? []);
      k++;
    });
    return out;
  }, [layers, preview.shapes]);

  return (
    <fieldset disabled={!editable} className="panel">
      <legend>{t('network', { params: preview.params.toLocaleString(lang) })}</legend>
      <p className="shape">{t('input')}</p>
      <ol className="layer-list">
        {layers.map((layer, i) => (
          <LayerEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
            key={i}
            layer={layer}
            index={i}
            count={layers.length}
            shape={specShapes[i]}
            onChange={(l) => onChange(layers.map((old, j) => (j === i ? l : old)))}
            onRemove={() => onChange(layers.filter((_, j) => j !== i))}
            onMove={(delta) => {
              const moved = [...layers];
              const [layer] = moved.splice(i, 1);
              moved.splice(i + delta, 0, layer!);
              onChange(moved);
            }}
          />
        ))}
      </ol>
      <p className="shape">{t('output')}</p>
      <label className="field">
        {t('addLayer')}{' '}
        <select
          value=""
          onChange={(event) => {
            const type = event.currentTarget.value as LayerType;
            if (type) onChange([...layers, defaultLayer(type)]);
          }}
        >
          <option value="">{t('choose')}</option>
          <LayerTypeOptions />
        </select>
      </label>
      {preview.error && (
        <p role="alert" className="error">
          {preview.error}
        </p>
      )}
      {!editable && <p className="hint">{t('editLocked')}</p>}
      {editable && startsOver && <p className="hint">{t('editStartsOver')}</p>}
    </fieldset>
  );
}
