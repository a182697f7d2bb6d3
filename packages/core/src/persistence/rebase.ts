import { readSession } from './read.js';
import type { Persisted, SessionState } from './state.js';

/**
 * After losing a compare-and-set race: reloads the newer row and re-applies only what this
 * request changed — its value writes, and the user, persist flag and deadline if it set them.
 * Every other field comes from the fresh row, so a concurrent request's sign-out, user switch
 * or "forget me" is never reverted by a stale copy. False if the session is gone.
 */
export async function rebase(state: SessionState, persisted: Persisted): Promise<boolean> {
  const read = await readSession(state.ctx, persisted.id, 'commit');
  // Unreadable data cannot be merged with: the session is lost to this client, like a revoked
  // one. The row is left as it is for inspection.
  if (!('record' in read)) return false;
  const { record, envelope } = read;
  state.values = state.changes.replay(envelope.values);
  if (!state.set.has('user')) state.userId = record.userId;
  if (!state.set.has('persist')) state.persist = envelope.persist;
  if (!state.set.has('deadline')) state.deadline = envelope.deadline;
  // A request records a client of its own only by renewing, and a renewal writes a new row
  // (a create), never an update that could be rebased: the stored row's client stands.
  state.recordedClient = envelope.client;
  state.createdAt = record.createdAt;
  persisted.version = record.version;
  return true;
}
