import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { createOptimizer, optimizerNames } from './by-name.js';
import { Adam, AdamW, SGD } from './optimizers.js';

describeEachBackend('createOptimizer', () => {
  const params = () => [tensor([1, 2], undefined, { requiresGrad: true })];

  it('builds each optimizer by name, with the book’s defaults where options are left out', () => {
    expect(optimizerNames).toEqual([
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'rmsprop',
      'adam',
      'adamw',
    ]);
    expect(createOptimizer('sgd', params())).toBeInstanceOf(SGD);
    expect(createOptimizer('sgd', params()).lr).toBe(0.01);
    const adam = createOptimizer('adam', params(), { lr: undefined, weightDecay: 0 });
    expect(adam).toBeInstanceOf(Adam);
    expect(adam.lr).toBe(0.001);
    const adamw = createOptimizer('adamw', params(), { lr: 0.1 });
    expect(adamw).toBeInstanceOf(AdamW);
    expect([adamw.lr, adamw.weightDecay]).toEqual([0.1, 0.01]);
  });

  it('names the valid optimizers for an unknown one', () => {
    expect(() => createOptimizer('lion' as never, params())).toThrow(
      /unknown optimizer "lion" \(known: sgd, momentum/,
    );
  });
});
