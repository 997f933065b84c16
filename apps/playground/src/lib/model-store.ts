import {
  deleteIndexedDbModel,
  listIndexedDbModels,
  type StoredModel,
  saveModelToIndexedDb,
} from '@scratchnet/serialization';

/**
 * Model files kept in the browser's IndexedDB, by name, through the library's browser storage
 * (in the playground's own database, where earlier versions kept them).
 */
const database = { database: 'scratchnet-playground' };

export type { StoredModel };

export function storeModel(name: string, bytes: Uint8Array): Promise<void> {
  return saveModelToIndexedDb(name, bytes, database);
}

export function listModels(): Promise<StoredModel[]> {
  return listIndexedDbModels(database);
}

export function deleteModel(name: string): Promise<void> {
  return deleteIndexedDbModel(name, database);
}
