import type { BindingOptions } from './options.js';
import type { ClientInfo } from './session.js';

/**
 * Whether a request's client differs from the one recorded on the session in a way the
 * binding cares about. A session recorded before binding was enabled has nothing to compare
 * and passes. IP binding fails closed: an IP that cannot be seen (the Fetch adapter without
 * `clientIp`) or was not recorded never matches, so the binding cannot be silently off.
 */
export function bindingMismatch(
  binding: Required<BindingOptions>,
  recorded: ClientInfo | undefined,
  current: ClientInfo,
): boolean {
  if (!recorded) return false;
  if (binding.ip && (current.ip === undefined || recorded.ip !== current.ip)) return true;
  return (
    binding.userAgent &&
    recorded.userAgent !== undefined &&
    recorded.userAgent !== current.userAgent
  );
}
