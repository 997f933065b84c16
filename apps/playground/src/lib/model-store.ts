/** Model files kept in the browser's IndexedDB, by name. */
const DB_NAME = 'scratchnet-playground';
const STORE = 'models';

export interface StoredModel {
  name: string;
  bytes: Uint8Array;
  savedAt: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'name' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export async function storeModel(name: string, bytes: Uint8Array): Promise<void> {
  await run('readwrite', (s) => s.put({ name, bytes, savedAt: Date.now() } satisfies StoredModel));
}

export function listModels(): Promise<StoredModel[]> {
  return run('readonly', (s) => s.getAll() as IDBRequest<StoredModel[]>);
}

export async function deleteModel(name: string): Promise<void> {
  await run('readwrite', (s) => s.delete(name));
}
