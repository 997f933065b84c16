import { useCallback, useEffect, useState } from 'react';
import { download } from '../lib/download.js';
import { deleteModel, listModels, type StoredModel, storeModel } from '../lib/model-store.js';
import { loadNetwork, saveNetwork } from '../lib/network.js';
import { trainer } from '../lib/trainer-client.js';
import { useApp } from '../store.js';

export const SHIPPED_MODEL = 'models/simple-convnet.safetensors';

/** Loads the model shipped with the app (trained by the trainer CLI; see the README). */
export async function loadShippedModel(): Promise<void> {
  const { setModel, setModelError } = useApp.getState();
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}${SHIPPED_MODEL}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    setModel({
      network: loadNetwork(bytes, 'simple-convnet.safetensors'),
      name: 'shipped SimpleConvNet',
    });
  } catch (error) {
    setModelError(`could not load the shipped model: ${(error as Error).message}`);
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
  const { setModel, setModelError, setModelMessage } = useApp.getState();
  const [stored, setStored] = useState<StoredModel[]>([]);
  const [storeName, setStoreName] = useState('my-model');

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
      setModelMessage(
        `loaded ${name} (${network.parameterCount().toLocaleString('en-US')} parameters)`,
      );
    } catch (error) {
      setModelError(`${(error as Error).message} — the current model is kept`);
    }
  };

  return (
    <section aria-labelledby="model-heading" className="panel">
      <h3 id="model-heading">Model</h3>
      <p data-testid="model-name">
        Current: <strong>{model ? model.name : 'none'}</strong>
        {model &&
          ` · ${model.network.config.architecture} · ${model.network.parameterCount().toLocaleString('en-US')} parameters`}
      </p>
      {modelError && (
        <p role="alert" className="error" data-testid="model-error">
          {modelError}
        </p>
      )}
      {modelMessage && (
        <p role="status" className="ok">
          {modelMessage}
        </p>
      )}
      <div className="controls">
        <label className="file-button">
          Upload a model file…
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
          onClick={() => model && download(saveNetwork(model.network), 'model.safetensors')}
        >
          Download model
        </button>
        <button type="button" onClick={() => void loadShippedModel()}>
          Use the shipped model
        </button>
        <button
          type="button"
          disabled={trainingState === 'loading'}
          title="Open the Train view first"
          onClick={async () => applyBytes(await trainer.model(), 'trained here')}
        >
          Use the network trained here
        </button>
      </div>
      <div className="controls">
        <label>
          Name{' '}
          <input value={storeName} onChange={(event) => setStoreName(event.currentTarget.value)} />
        </label>
        <button
          type="button"
          disabled={!model || storeName.trim() === ''}
          onClick={async () => {
            if (!model) return;
            await storeModel(storeName.trim(), saveNetwork(model.network));
            setModelMessage(`saved "${storeName.trim()}" in this browser`);
            refresh();
          }}
        >
          Save in browser
        </button>
      </div>
      {stored.length > 0 && (
        <ul className="stored" aria-label="Models saved in this browser">
          {stored.map((entry) => (
            <li key={entry.name}>
              {entry.name} <small>({new Date(entry.savedAt).toLocaleString()})</small>{' '}
              <button type="button" onClick={() => applyBytes(entry.bytes, entry.name)}>
                Load
              </button>{' '}
              <button
                type="button"
                aria-label={`Delete ${entry.name}`}
                onClick={async () => {
                  await deleteModel(entry.name);
                  refresh();
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
