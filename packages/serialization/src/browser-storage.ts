import type { Network } from '@scratchnet/layers';
import { loadModel, saveModel } from './model-file.js';

/**
 * Model files in the browser, as TF.js's `indexeddb://`, `downloads://` and `http(s)://`
 * handlers: kept in IndexedDB by name, offered as a download, and loaded from a URL (the last
 * works in Node too, through its `fetch`). The bytes are the same model files `saveModel` writes.
 */

/** Where models are kept in IndexedDB. */
export interface IndexedDbOptions {
  /** The database's name (default `'scratchnet'`); a store `models` inside it holds the files. */
  database?: string;
}

/** A model kept in IndexedDB, as `listIndexedDbModels` gives it. */
export interface StoredModel {
  /** The name it was saved under. */
  name: string;
  /** When it was saved, in milliseconds since 1970 (`Date.now()`). */
  savedAt: number;
  /** The model file's bytes, as `saveModel` wrote them. */
  bytes: Uint8Array;
}

const STORE = 'models';

function openDatabase(database: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new Error(
        'IndexedDB is not available here (Node has none): keep model files with saveModel and writeFileAtomic instead',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'name' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new Error(`IndexedDB: cannot open "${database}" (${request.error?.message})`));
  });
}

async function inStore<T>(
  database: string,
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDatabase(database);
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      let result: T;
      request.onsuccess = () => {
        result = request.result;
      };
      // Resolved once the transaction is committed, so a save is durable when it resolves.
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () =>
        reject(new Error(`IndexedDB "${database}": ${transaction.error?.message}`));
      transaction.onabort = () =>
        reject(new Error(`IndexedDB "${database}": aborted (${transaction.error?.message})`));
    });
  } finally {
    db.close();
  }
}

const bytesOf = (model: Network | Uint8Array) =>
  model instanceof Uint8Array ? model : saveModel(model);

/**
 * Keeps a network (or model-file bytes) in the browser's IndexedDB under `name`, replacing what
 * was there under that name; resolves once it is stored.
 *
 * @example
 * await saveModelToIndexedDb('my-model', net);
 * const again = await loadModelFromIndexedDb('my-model'); // a SimpleConvNet again
 */
export async function saveModelToIndexedDb(
  name: string,
  model: Network | Uint8Array,
  { database = 'scratchnet' }: IndexedDbOptions = {},
): Promise<void> {
  if (name.trim() === '') throw new RangeError('saveModelToIndexedDb: the name is empty');
  const entry: StoredModel = { name, savedAt: Date.now(), bytes: bytesOf(model) };
  await inStore(database, 'readwrite', (store) => store.put(entry));
}

/** The model file kept under `name`, as bytes; an error that lists the stored names if absent. */
export async function readModelFromIndexedDb(
  name: string,
  { database = 'scratchnet' }: IndexedDbOptions = {},
): Promise<Uint8Array> {
  const entry = await inStore<StoredModel | undefined>(
    database,
    'readonly',
    (store) => store.get(name) as IDBRequest<StoredModel | undefined>,
  );
  if (!entry) {
    const names = (await listIndexedDbModels({ database })).map((m) => `"${m.name}"`);
    throw new Error(
      `IndexedDB "${database}" has no model named "${name}" (${names.length > 0 ? `stored: ${names.join(', ')}` : 'none is stored'})`,
    );
  }
  return entry.bytes;
}

/** The network kept in IndexedDB under `name`, rebuilt in evaluation mode. */
export async function loadModelFromIndexedDb(
  name: string,
  options: IndexedDbOptions = {},
): Promise<Network> {
  const bytes = await readModelFromIndexedDb(name, options);
  return loadModel(bytes, { source: `IndexedDB "${options.database ?? 'scratchnet'}"/${name}` });
}

/** Every model kept in IndexedDB, oldest first. */
export async function listIndexedDbModels({
  database = 'scratchnet',
}: IndexedDbOptions = {}): Promise<StoredModel[]> {
  const all = await inStore(
    database,
    'readonly',
    (store) => store.getAll() as IDBRequest<StoredModel[]>,
  );
  return all.sort((a, b) => a.savedAt - b.savedAt);
}

/** Removes the model kept under `name` (nothing happens if there is none). */
export async function deleteIndexedDbModel(
  name: string,
  { database = 'scratchnet' }: IndexedDbOptions = {},
): Promise<void> {
  await inStore(database, 'readwrite', (store) => store.delete(name));
}

/**
 * Offers a network (or model-file bytes) to the user as a file download named `filename`. In a
 * page only.
 *
 * @example
 * downloadModel(net, 'simple-convnet.safetensors');
 */
export function downloadModel(model: Network | Uint8Array, filename = 'model.safetensors'): void {
  if (typeof document === 'undefined') {
    throw new Error(
      'downloadModel: there is no page here to download from; in Node, write the bytes of saveModel(network) with writeFileAtomic',
    );
  }
  const url = URL.createObjectURL(
    new Blob([bytesOf(model) as BlobPart], { type: 'application/octet-stream' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The click has started the download by the time this runs.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The network in the model file at `url` (`http(s)://`, or a path relative to the page), fetched
 * and rebuilt in evaluation mode; an HTTP error or a file that is not a model names the URL.
 *
 * @example
 * const net = await loadModelFromUrl('/models/simple-convnet.safetensors');
 */
export async function loadModelFromUrl(
  url: string | URL,
  { fetch: fetchFile = globalThis.fetch }: { fetch?: typeof globalThis.fetch } = {},
): Promise<Network> {
  const source = String(url);
  let response: Response;
  try {
    response = await fetchFile(url);
  } catch (error) {
    throw new Error(`${source}: cannot fetch the model file (${(error as Error).message})`);
  }
  if (!response.ok) {
    throw new Error(`${source}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  return loadModel(new Uint8Array(await response.arrayBuffer()), { source });
}
