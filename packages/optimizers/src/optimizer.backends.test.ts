import { tensor } from '@scratchnet/tensor';
import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import * as api from './index.js';
import { Optimizer, type OptimizerState } from './optimizer.js';
import { Adam, AdamW, Nesterov, SGD } from './optimizers.js';

const optimizerClasses = Object.entries(api).filter(
  (entry): entry is [string, typeof SGD] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof Optimizer,
);

describeEachBackend('optimizer type names', () => {
  it('every exported optimizer declares its own name, equal to its class name', () => {
    expect(optimizerClasses.map(([name]) => name).sort()).toEqual(
      ['AdaGrad', 'Adam', 'AdamW', 'Momentum', 'Nesterov', 'RMSprop', 'SGD'].sort(),
    );
    for (const [name, Class] of optimizerClasses) {
      // Its own static, not one inherited (AdamW from Adam, Nesterov from Momentum).
      expect(Object.hasOwn(Class, 'typeName'), name).toBe(true);
      const optimizer = new Class([tensor([1, 2])]);
      expect(optimizer.typeName).toBe(name);
      expect(optimizer.stateDict().type).toBe(name);
    }
  });

  it('loads a state saved under the same name, and names both when they differ', () => {
    const params = [tensor([1, 2, 3])];
    params[0]!.grad = tensor([0.1, -0.2, 0.3]);
    const adam = new Adam(params);
    adam.step();
    // A state as saved before the names were declared: plain JSON-like data with type 'Adam'.
    const saved: OptimizerState = { ...adam.stateDict(), type: 'Adam' };
    const resumed = new Adam(params);
    resumed.loadStateDict(saved);
    expect(resumed.stepCount).toBe(1);
    expect(() => new AdamW(params).loadStateDict(saved)).toThrow(
      'AdamW.loadStateDict: the state was saved by Adam',
    );
    expect(() => new Nesterov(params).loadStateDict({ ...saved, type: 'Momentum' })).toThrow(
      'Nesterov.loadStateDict: the state was saved by Momentum',
    );
    expect(() => new SGD(params, { lr: -1 })).toThrow('SGD: lr must be ≥ 0, got -1');
  });

  it('a subclass without its own name uses its class name; one with a name uses that', () => {
    class MyAdam extends Adam {}
    class Named extends Adam {
      static override readonly typeName: string = 'Lion';
    }
    expect(new MyAdam([]).stateDict().type).toBe('MyAdam');
    expect(new Named([]).stateDict().type).toBe('Lion');
    expect(() => new Adam([]).loadStateDict(new MyAdam([]).stateDict())).toThrow(
      'Adam.loadStateDict: the state was saved by MyAdam',
    );
  });
});
