import type { CallOptions } from '../store/contract.js';
import { type Found, type LoadOutcome, loadToken, type Rejection } from './load.js';
import type { ClientInfo, SessionContext } from './state.js';

/** What the values of the session cookie in one request lead to. */
export interface CandidatesOutcome {
  /** The one session a value loaded, with whether the binding policy asks to renew it. */
  loaded: Found | null;
  rejections: readonly Rejection[];
  /**
   * Whether the response should clear the cookie: only when no value loaded. When one did, the
   * others may be cookies of another domain or path that a Set-Cookie with this manager's
   * attributes would not reach; clearing would only delete the cookie that works.
   */
  clear: boolean;
}

const NO_REJECTIONS: readonly Rejection[] = Object.freeze([]);
const NO_COOKIE: CandidatesOutcome = Object.freeze({
  loaded: null,
  rejections: NO_REJECTIONS,
  clear: false,
});

/**
 * Tries each value the Cookie header carries for the session cookie (a browser sends one per
 * stored cookie of that name, a planted one possibly first) and keeps the one that loads. Two
 * that load are ambiguous: neither is used (the request is anonymous) and neither is cleared,
 * so a planted cookie can neither swap the visitor into the planter's session nor end theirs.
 */
export async function loadCandidates(
  ctx: SessionContext,
  values: readonly string[],
  client: ClientInfo,
  options?: CallOptions,
): Promise<CandidatesOutcome> {
  // Nearly every request carries no session cookie or one: they need no lists to collect into.
  if (values.length === 0) return NO_COOKIE;
  if (values.length === 1) return single(await loadToken(ctx, values[0]!, client, options));
  const rejections: Rejection[] = [];
  const loaded: Found[] = [];
  for (const value of values) {
    const outcome = await loadToken(ctx, value, client, options);
    if ('loaded' in outcome) loaded.push(outcome);
    else rejections.push(outcome);
  }
  const [only, second] = loaded;
  if (only && !second) return { loaded: only, rejections, clear: false };
  for (const outcome of loaded) {
    rejections.push({ sessionId: outcome.loaded.record.id, reason: 'duplicate-cookie' });
  }
  // Two or more loaded: ambiguous, and nothing is cleared. None: every value was rejected.
  return { loaded: null, rejections, clear: loaded.length === 0 };
}

/** What the general case above decides for a header with one value, without its lists. */
function single(outcome: LoadOutcome): CandidatesOutcome {
  if ('loaded' in outcome) return { loaded: outcome, rejections: NO_REJECTIONS, clear: false };
  return { loaded: null, rejections: [outcome], clear: true };
}
