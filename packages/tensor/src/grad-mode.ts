let gradEnabled = true;

/** Whether ops record the graph for `backward()`: false inside `noGrad`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording gradients, as `torch.no_grad()`: for inference and for the
 * optimizer's own updates. Restores the previous mode even if `fn` throws.
 *
 * @example
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
