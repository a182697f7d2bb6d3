import { bindingMismatch } from '../binding.js';
import type { RejectReason } from '../events.js';
import type { CallOptions } from '../store/contract.js';
import { isWellFormedToken, tokenToId } from '../token.js';
import { readSession } from './read.js';
import { endedBecause } from './rules.js';
import type { ClientInfo, Loaded, SessionContext } from './state.js';

/** A value of the cookie that did not lead to a session, for the `rejected` event. */
export interface Rejection {
  sessionId: string | null;
  reason: RejectReason;
}

/** The session a value loaded, with whether the binding policy asks to renew it. */
export interface Found {
  loaded: Loaded;
  renew: boolean;
}

/** What a presented token leads to: its session, or why not. */
export type LoadOutcome = Found | Rejection;

/**
 * Loads the session a token names: reads it (corrupt reads as missing), then checks the
 * deadline, the idle timeout and the client binding. Only a store failure rejects.
 */
export async function loadToken(
  ctx: SessionContext,
  token: string,
  client: ClientInfo,
  options?: CallOptions,
): Promise<LoadOutcome> {
  if (!isWellFormedToken(token)) {
    return { sessionId: null, reason: 'malformed-token' };
  }
  const id = tokenToId(token);
  const read = await readSession(ctx, id, 'load', options);
  if ('corrupt' in read) return { sessionId: id, reason: 'corrupt-data' };
  if ('missing' in read) return { sessionId: id, reason: 'unknown-token' };
  const { record, envelope } = read;

  const ended = endedBecause(
    ctx.options,
    envelope.deadline,
    record.lastSeenAt,
    ctx.options.clock(),
  );
  if (ended) return { sessionId: id, reason: ended };
  const binding = ctx.options.binding;
  const mismatch = binding !== undefined && bindingMismatch(binding, envelope.client, client);
  if (mismatch && binding.onMismatch === 'reject') {
    return { sessionId: id, reason: 'binding-mismatch' };
  }
  return { loaded: { token, record, envelope }, renew: mismatch };
}
