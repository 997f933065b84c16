let gradEnabled = true;

/** Whether ops record the graph for `backward()`: false inside `noGrad`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with gradient recording on or off, restoring the previous mode even if `fn` throws:
 * `noGrad` is `withGradMode(false, fn)`; `backward({ createGraph: true })` and `grad` record with
 * `withGradMode(true, fn)`, as PyTorch's autograd engine does, whatever mode they are called in.
 */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording gradients, as `torch.no_grad()`: for inference and for the
 * optimizer's own updates. Restores the previous mode even if `fn` throws.
 *
 * @example
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}
