import type { BindingOptions } from './options.js';
import type { ClientInfo } from './session.js';

/**
 * Whether a request's client differs from the one recorded on the session in a way the
 * binding cares about. A session recorded before binding was enabled has nothing to compare
 * and passes.
 */
export function bindingMismatch(
  binding: Required<BindingOptions>,
  recorded: ClientInfo | undefined,
  current: ClientInfo,
): boolean {
  if (!recorded) return false;
  if (binding.ip && recorded.ip !== undefined && recorded.ip !== current.ip) return true;
  return (
    binding.userAgent &&
    recorded.userAgent !== undefined &&
    recorded.userAgent !== current.userAgent
  );
}
