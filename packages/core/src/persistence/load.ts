import { bindingMismatch } from '../binding.js';
import type { RejectReason } from '../events.js';
import type { CallOptions } from '../store/contract.js';
import { isWellFormedToken, tokenToId } from '../token.js';
import { readSession } from './read.js';
import { endedBecause } from './rules.js';
import type { ClientInfo, Loaded, SessionContext } from './state.js';

/** What a presented token leads to. */
export type LoadOutcome =
  | { kind: 'none' }
  | { kind: 'rejected'; sessionId: string | null; reason: RejectReason }
  | { kind: 'loaded'; loaded: Loaded; renew: boolean };

/**
 * Loads the session a token names: reads it (corrupt reads as missing), then checks the
 * deadline, the idle timeout and the client binding. Only a store failure rejects.
 */
export async function loadToken(
  ctx: SessionContext,
  token: string | undefined,
  client: ClientInfo,
  options?: CallOptions,
): Promise<LoadOutcome> {
  if (token === undefined) return { kind: 'none' };
  if (!isWellFormedToken(token)) {
    return { kind: 'rejected', sessionId: null, reason: 'malformed-token' };
  }
  const id = tokenToId(token);
  const read = await readSession(ctx, id, 'load', options);
  if ('corrupt' in read) return { kind: 'rejected', sessionId: id, reason: 'corrupt-data' };
  if ('missing' in read) return { kind: 'rejected', sessionId: id, reason: 'unknown-token' };
  const { record, envelope } = read;

  const ended = endedBecause(
    ctx.options,
    envelope.deadline,
    record.lastSeenAt,
    ctx.options.clock(),
  );
  if (ended) return { kind: 'rejected', sessionId: id, reason: ended };
  const binding = ctx.options.binding;
  const mismatch = binding !== undefined && bindingMismatch(binding, envelope.client, client);
  if (mismatch && binding.onMismatch === 'reject') {
    return { kind: 'rejected', sessionId: id, reason: 'binding-mismatch' };
  }
  return { kind: 'loaded', loaded: { token, record, envelope }, renew: mismatch };
}
