import type { Module } from '@scratchnet/layers';
import { formatShape } from '@scratchnet/tensor';

/** Training met a NaN or infinite loss or gradient (with `onNonFinite: 'stop'`). */
export class NonFiniteError extends Error {
  /** `'NonFiniteError'`, so the error can be told apart by name. */
  override name = 'NonFiniteError';
  constructor(
    message: string,
    /** The optimizer step (1-based, over the whole run) whose batch gave it. */
    readonly step: number,
    /** 'loss', or the parameter whose gradient it was, e.g. 'fc1.weight'. */
    readonly tensorName: string,
    /** Where, without the advice: `step 2 (epoch 1, batch 2 of 4): the loss is NaN`. */
    readonly where: string,
  ) {
    super(message);
  }
}

/** Counts NaN and ±Infinity values, or null when all are finite. */
function countNonFinite(values: Float32Array): { nan: number; inf: number } | null {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) {
      if (Number.isNaN(v)) nan++;
      else inf++;
    }
  }
  return nan + inf > 0 ? { nan, inf } : null;
}

/**
 * The first parameter gradient of `model` that holds a NaN or an infinity, described for an error
 * message (`the gradient of fc1.weight [100, 4320] has 3 NaN value(s) of 432,000`); null when all
 * are finite. It reads every gradient, so the trainer calls it only once a cheaper check failed.
 */
export async function findNonFiniteGradient(model: Module): Promise<{
  /** The parameter's name, e.g. 'fc1.weight'. */
  tensorName: string;
  /** Its shape and how many of its values are NaN or infinite, for an error message. */
  description: string;
} | null> {
  for (const [name, parameter] of model.namedParameters()) {
    if (!parameter.grad) continue;
    const values = await parameter.grad.dataAsync();
    const found = countNonFinite(values);
    if (!found) continue;
    const parts = [found.nan && `${found.nan} NaN`, found.inf && `${found.inf} infinite`]
      .filter(Boolean)
      .join(' and ');
    return {
      tensorName: name,
      description: `the gradient of ${name} ${formatShape(parameter.shape)} has ${parts} value(s) of ${values.length.toLocaleString('en-US')}`,
    };
  }
  return null;
}
