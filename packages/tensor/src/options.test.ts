import { describe, expect, it } from 'vitest';
import { checkOptionKeys, closestNames, everyKey } from './options.js';

describe('option keys', () => {
  it('suggests the names a misspelling was meant to be, nearest first', () => {
    expect(closestNames('epoch', ['epochs', 'batchSize', 'lr'])).toEqual(['epochs']);
    expect(closestNames('batchsize', ['batchSize', 'epochs'])).toEqual(['batchSize']);
    expect(closestNames('lr', ['lr2', 'l', 'momentum'])).toEqual(['lr2', 'l']);
    expect(closestNames('learningRate', ['lr', 'momentum'])).toEqual([]);
    expect(closestNames('callback', ['callbacks', 'onLog'])).toEqual(['callbacks']);
  });

  it('refuses unknown keys, naming each and the known ones; known keys pass', () => {
    expect(() =>
      checkOptionKeys('fit', { epochs: 1, batchSize: 2 }, ['epochs', 'batchSize']),
    ).not.toThrow();
    expect(() => checkOptionKeys('fit', { epoch: 1 }, ['epochs', 'batchSize'])).toThrow(
      'fit: unknown option "epoch" (did you mean "epochs"?); the options are epochs, batchSize',
    );
    expect(() =>
      checkOptionKeys('fit', { epoch: 1, speed: undefined }, ['epochs', 'batchSize']),
    ).toThrow('fit: unknown options "epoch" (did you mean "epochs"?), "speed"; the options are');
  });

  it('everyKey returns the keys it is given, and refuses at compile time a list missing one', () => {
    interface Options {
      epochs?: number;
      batchSize?: number;
    }
    expect(everyKey<Options>()(['epochs', 'batchSize'])).toEqual(['epochs', 'batchSize']);
    // @ts-expect-error: 'batchSize' is missing
    everyKey<Options>()(['epochs']);
  });
});
