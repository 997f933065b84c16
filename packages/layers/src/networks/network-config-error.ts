/**
 * A network config that cannot be sized or built: the message names the option or layer and the
 * value. Thrown before anything is allocated.
 */
export class NetworkConfigError extends Error {
  /** The error name, also after minification. */
  override name = 'NetworkConfigError';
}
