import { existsSync, readFileSync } from 'node:fs';
import type { NetworkConfig } from '@scratchnet/layers';

/** The network a spec file describes: any model config, `sequential` when it names none. */
export function readNetworkSpec(path: string): NetworkConfig {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(
      `${path}: expected an object such as {"inputShape": [1, 28, 28], "layers": [...]} or {"architecture": "simple-convnet", ...}`,
    );
  }
  const config = json as Partial<NetworkConfig>;
  return { ...config, architecture: config.architecture ?? 'sequential' };
}
