import { describe, expect, it } from 'vitest';
import { linkErrorText } from '../i18n/messages/link.js';
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
    expect(errors).toEqual([
      { param: 'net', kind: 'unknownLayer', value: 'zz' },
      { param: 'lr', kind: 'number', quantity: 'learningRate', min: 1e-7, max: 10, value: '-1' },
      { param: 'bs', kind: 'wholeNumber', quantity: 'batchSize', max: 10_000, value: 'x' },
    ]);
  });

  it("says why in each language, with the book's terms", () => {
    const { errors } = setupFromParams(new URLSearchParams('lr=-1&bs=x&opt=foo&net=c0k3'));
    expect(errors.map((e) => linkErrorText(e, 'en'))).toEqual([
      'net: the number of filters must be a whole number from 1 to 256, got "0"',
      'opt: unknown optimizer "foo"',
      'lr: learning rate must be a number from 1e-7 to 10, got "-1"',
      'bs: batch size must be a whole number from 1 to 10,000, got "x"',
    ]);
    expect(linkErrorText(errors[2]!, 'ko')).toBe(
      'lr: 학습률 값은 1e-7부터 10까지의 수여야 합니다(받은 값: "-1")',
    );
    expect(linkErrorText(errors[3]!, 'ja')).toBe(
      'bs：バッチサイズは1から10,000までの整数にしてください（「x」でした）',
    );
  });

  it('keeps an English message on the thrown error for other callers', () => {
    expect(() => parseLayers('c8k5-zz')).toThrow('unknown layer "zz"');
    expect(() => parseLayers('c8k99')).toThrow(
      'kernel size must be a whole number from 1 to 28, got "99"',
    );
  });
});
