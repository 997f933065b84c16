import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETUP,
  defaultLayer,
  formatLayers,
  LAYER_TYPES,
  parseLayers,
  setupFromParams,
  setupToParams,
} from './setup.js';

describe('the set-up in the URL', () => {
  it('round-trips every layer type and every hyperparameter', () => {
    const setup = {
      ...DEFAULT_SETUP,
      layers: [
        ...LAYER_TYPES.map(defaultLayer),
        { type: 'conv' as const, filters: 16, size: 3, stride: 2, pad: 1 },
      ],
      optimizer: 'rmsprop' as const,
      lr: 0.0003,
      batchSize: 32,
      weightDecay: 0.0001,
      epochs: 3,
      seed: 42,
    };
    const params = new URLSearchParams(setupToParams(setup).toString());
    expect(setupFromParams(params)).toEqual({ setup, errors: [] });
  });

  it('formats layers compactly', () => {
    expect(formatLayers(DEFAULT_SETUP.layers)).toBe('c8k5-r-p2-f64-r');
    expect(parseLayers('c8k5-r-p2-f64-r')).toEqual(DEFAULT_SETUP.layers);
  });

  it('keeps defaults for values that do not parse, and says which', () => {
    const { setup, errors } = setupFromParams(
      new URLSearchParams('net=c8k5-zz&lr=-1&opt=adam&bs=x'),
    );
    expect(setup.layers).toEqual(DEFAULT_SETUP.layers);
    expect(setup.lr).toBe(DEFAULT_SETUP.lr);
    expect(setup.batchSize).toBe(DEFAULT_SETUP.batchSize);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('unknown layer "zz"');
  });
});
