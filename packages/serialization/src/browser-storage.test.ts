/**
 * Browser storage in Node: loading from a URL (a server on 127.0.0.1), and clear errors where
 * there is no IndexedDB or page. IndexedDB and downloads themselves are tested in Chromium, through
 * the playground (apps/playground/e2e: "downloads the current model and keeps models in
 * IndexedDB across a reload").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimpleConvNet } from '@scratchnet/layers';
import { manualSeed } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadModel,
  listIndexedDbModels,
  loadModelFromUrl,
  saveModelToIndexedDb,
} from './browser-storage.js';
import { saveModel } from './model-file.js';

describe('browser storage', () => {
  manualSeed(4);
  const net = new SimpleConvNet({ filterNum: 2, hiddenSize: 5 });
  const bytes = saveModel(net);
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/model.safetensors') {
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        response.end(bytes);
      } else if (request.url === '/notes.txt') {
        response.writeHead(200);
        response.end('these are words');
      } else {
        response.writeHead(404, 'Not Found');
        response.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('loads a model file from a URL, the same weights', async () => {
    const loaded = await loadModelFromUrl(`${base}/model.safetensors`);
    expect(loaded.config).toEqual(net.config);
    expect(Array.from(loaded.stateDict()['fc2.weight']!.dataSync())).toEqual(
      Array.from(net.stateDict()['fc2.weight']!.dataSync()),
    );
    expect(loaded.training).toBe(false);
  });

  it('names the URL on an HTTP error or a file that is not a model', async () => {
    await expect(loadModelFromUrl(`${base}/missing.safetensors`)).rejects.toThrow(
      `${base}/missing.safetensors: HTTP 404 Not Found`,
    );
    await expect(loadModelFromUrl(`${base}/notes.txt`)).rejects.toThrow(`${base}/notes.txt`);
  });

  it('says where IndexedDB or a page is missing (Node)', async () => {
    await expect(saveModelToIndexedDb('m', bytes)).rejects.toThrow(
      'IndexedDB is not available here (Node has none)',
    );
    await expect(listIndexedDbModels()).rejects.toThrow(/IndexedDB is not available/);
    expect(() => downloadModel(bytes)).toThrow(/downloadModel: there is no page here/);
  });
});
