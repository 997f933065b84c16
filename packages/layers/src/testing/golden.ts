/**
 * Test helpers for the PyTorch reference fixtures in `src/fixtures/*.json`, written by
 * `scripts/make-layer-fixtures.py` (`pnpm fixtures:layers`). Not part of the package's API.
 */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@scratchnet/tensor';
import { expect } from 'vitest';
import type { Module, StateDict } from '../module.js';

export interface Encoded {
  shape: number[];
  data: number[];
}

export interface LayerCase {
  name: string;
  layer: string;
  options: Record<string, unknown>;
  training: boolean;
  /** PyTorch's state_dict before the step, loaded with `loadStateDict`. */
  state: Record<string, Encoded>;
  inputs: Record<string, Encoded>;
  constants: Record<string, Encoded>;
  output: Encoded;
  upstream: Encoded | null;
  grads: Record<string, Encoded>;
  /** The buffers (batch norm's running statistics) after the step. */
  stateAfter?: Record<string, Encoded>;
}

/** Relative tolerance against float64 references (scratchnet computes in float32). */
export const RTOL = 1e-4;

export function loadFixture<T = { cases: LayerCase[] }>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

export function fromEncoded(encoded: Encoded, requiresGrad = false): Tensor {
  return tensor(encoded.data, encoded.shape, { requiresGrad });
}

export function stateDictOf(state: Record<string, Encoded>): StateDict {
  return Object.fromEntries(Object.entries(state).map(([key, value]) => [key, fromEncoded(value)]));
}

/**
 * Elementwise |actual − expected| ≤ rtol·max(1, |expected|); on failure names the worst element.
 * Returns the largest error seen, scaled the same way.
 */
export function expectClose(
  label: string,
  actual: Tensor | null | undefined,
  expected: Encoded,
  rtol = RTOL,
): number {
  expect(actual, `${label}: missing`).toBeTruthy();
  expect(actual!.shape, `${label}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < got.length; i++) {
    const want = expected.data[i]!;
    const error = Math.abs(got[i]! - want) / Math.max(1, Math.abs(want));
    if (!(error <= worst)) {
      worst = error; // NaN lands here too and stays the worst
      worstIndex = i;
    }
  }
  if (!(worst <= rtol)) {
    expect.fail(
      `${label}: element ${worstIndex} is ${got[worstIndex]}, expected ${expected.data[worstIndex]} ` +
        `(error ${worst.toExponential(2)}, tolerance ${rtol})`,
    );
  }
  return worst;
}

/**
 * Runs one fixture case through `module`: loads the case's state, sets the mode, checks the output,
 * backpropagates the case's upstream gradient, and checks the gradients of the input `x` and of
 * every parameter (by PyTorch name) and the buffers after the step.
 */
export function checkLayerCase(c: LayerCase, module: Module): void {
  module.loadStateDict(stateDictOf(c.state));
  module.train(c.training);
  const x = fromEncoded(c.inputs.x!, true);
  const out = module.forward(x);
  expectClose('output', out, c.output);
  if (c.upstream) out.backward(fromEncoded(c.upstream));
  else out.backward();
  const params = Object.fromEntries(module.namedParameters());
  expect(Object.keys(params).sort()).toEqual(
    Object.keys(c.grads)
      .filter((k) => k !== 'x')
      .sort(),
  );
  for (const [name, grad] of Object.entries(c.grads)) {
    expectClose(`gradient of ${name}`, name === 'x' ? x.grad : params[name]!.grad, grad);
  }
  const buffers = Object.fromEntries(module.namedBuffers());
  for (const [name, after] of Object.entries(c.stateAfter ?? {})) {
    expectClose(`${name} after the step`, buffers[name], after);
  }
}
