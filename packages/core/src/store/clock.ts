import { ConfigurationError } from '../errors.js';

/**
 * Reads an optional `clock` option: the time source, in epoch milliseconds, for every expiry
 * decision. `Date.now` unless the caller injects one; anything else but a function is refused.
 */
export function resolveClock(clock: unknown): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock !== 'function') throw new ConfigurationError('clock must be a function');
  return clock as () => number;
}
