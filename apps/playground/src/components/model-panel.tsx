import { downloadModel, loadModelFromUrl } from '@scratchnet/serialization';
import { useCallback, useEffect, useState } from 'react';
import { modelMessages } from '../i18n/messages/draw.js';
import { useMessages } from '../i18n/use-messages.js';
import { deleteModel, listModels, type StoredModel, storeModel } from '../lib/model-store.js';
import { loadNetwork, saveNetwork } from '../lib/network.js';
import { trainer } from '../lib/trainer-client.js';
import { useApp } from '../store.js';

export const SHIPPED_MODEL = 'models/simple-convnet.safetensors';
/** The names of the two models the app itself provides (shown translated). */
export const SHIPPED_NAME = 'shipped SimpleConvNet';
export const TRAINED_HERE_NAME = 'trained here';

/** Loads the model shipped with the app (trained by the trainer CLI; see the README). */
export async function loadShippedModel(): Promise<void> {
  const { setModel, setModelError } = useApp.getState();
  try {
    setModel({
      network: await loadModelFromUrl(`${import.meta.env.BASE_URL}${SHIPPED_MODEL}`),
      name: SHIPPED_NAME,
    });
  } catch (error) {
    setModelError({ key: 'shippedError', params: { error: (error as Error).message } });
  }
}

/**
 * The model used for drawing and the inside view: upload a model file (as the trainer writes it),
 * download it, keep it in the browser (IndexedDB), or take the network trained in the Train view.
 * A file that does not load leaves the current model in place and says why.
 */
export function ModelPanel() {
  const model = useApp((s) => s.model);
  const modelError = useApp((s) => s.modelError);
  const modelMessage = useApp((s) => s.modelMessage);
  const trainingState = useApp((s) => s.training.state);
  const lang = useApp((s) => s.lang);
  const { setModel, setModelError, setModelMessage } = useApp.getState();
  const [stored, setStored] = useState<StoredModel[]>([]);
  const [storeName, setStoreName] = useState('my-model');
  const t = useMessages(modelMessages);
  const displayName = (name: string) =>
    name === SHIPPED_NAME
      ? t('shippedName')
      : name === TRAINED_HERE_NAME
        ? t('trainedHereName')
        : name;

  const refresh = useCallback(() => {
    listModels()
      .then(setStored)
      .catch(() => setStored([]));
  }, []);
  useEffect(refresh, [refresh]);

  const applyBytes = (bytes: Uint8Array, name: string) => {
    try {
      const network = loadNetwork(bytes, name);
      setModel({ network, name });
      setModelMessage({ key: 'loaded', params: { name, n: network.parameterCount() } });
    } catch (error) {
      setModelError({ key: 'kept', params: { error: (error as Error).message } });
    }
  };

  return (
    <section aria-labelledby="model-heading" className="panel">
      <h3 id="model-heading">{t('heading')}</h3>
      <p data-testid="model-name">
        {t('current')} <strong>{model ? displayName(model.name) : t('none')}</strong>
        {model &&
          ` · ${t('summary', {
            architecture: model.network.config.architecture,
            n: model.network.parameterCount(),
          })}`}
      </p>
      {modelError && (
        <p role="alert" className="error" data-testid="model-error">
          {t(modelError.key, modelError.params)}
        </p>
      )}
      {modelMessage && (
        <p role="status" className="ok">
          {t(modelMessage.key, {
            ...modelMessage.params,
            ...(typeof modelMessage.params?.name === 'string'
              ? { name: displayName(modelMessage.params.name) }
              : {}),
          })}
        </p>
      )}
      <div className="controls">
        <label className="file-button">
          {t('upload')}
          <input
            type="file"
            accept=".safetensors,application/octet-stream"
            data-testid="model-upload"
            onChange={async (event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              input.value = '';
              if (file) applyBytes(new Uint8Array(await file.arrayBuffer()), file.name);
            }}
          />
        </label>
        <button
          type="button"
          disabled={!model}
          onClick={() =>
            model && downloadModel(model.network, `${storeName.trim() || 'model'}.safetensors`)
          }
        >
          {t('download')}
        </button>
        <button type="button" onClick={() => void loadShippedModel()}>
          {t('useShipped')}
        </button>
        <button
          type="button"
          disabled={trainingState === 'loading'}
          title={t('useTrainedTitle')}
          onClick={async () => applyBytes(await trainer.model(), TRAINED_HERE_NAME)}
        >
          {t('useTrained')}
        </button>
      </div>
      <div className="controls">
        <label>
          {t('name')}{' '}
          <input value={storeName} onChange={(event) => setStoreName(event.currentTarget.value)} />
        </label>
        <button
          type="button"
          disabled={!model || storeName.trim() === ''}
          onClick={async () => {
            if (!model) return;
            await storeModel(storeName.trim(), saveNetwork(model.network));
            setModelMessage({ key: 'saved', params: { name: storeName.trim() } });
            refresh();
          }}
        >
          {t('save')}
        </button>
      </div>
      {stored.length > 0 && (
        <ul className="stored" aria-label={t('stored')}>
          {stored.map((entry) => (
            <li key={entry.name}>
              <span>
                {entry.name} <small>({new Date(entry.savedAt).toLocaleString(lang)})</small>
              </span>
              <button type="button" onClick={() => applyBytes(entry.bytes, entry.name)}>
                {t('load')}
              </button>{' '}
              <button
                type="button"
                aria-label={t('deleteLabel', { name: entry.name })}
                onClick={async () => {
                  await deleteModel(entry.name);
                  refresh();
                }}
              >
                {t('delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
