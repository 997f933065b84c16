/**
 * A network config that cannot be sized or built: the message names the option or layer and the
 * value. Thrown before anything is allocated.
 */
export class NetworkConfigError extends Error {
  override name = 'NetworkConfigError';
}
