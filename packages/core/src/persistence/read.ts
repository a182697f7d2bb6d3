import type { SessionEnvelope } from '../codec.js';
import { CorruptDataError } from '../errors.js';
import type { SessionEventMap } from '../events.js';
import type { CallOptions, StoredSession } from '../store/contract.js';
import type { SessionContext } from './state.js';

type Phase = SessionEventMap['error']['phase'];

/** A readable stored session, or why there is none. */
export type ReadResult =
  | { record: StoredSession; envelope: SessionEnvelope }
  | { missing: true }
  | { corrupt: true };

function report(
  ctx: SessionContext,
  error: unknown,
  phase: Phase,
  sessionId: string,
  userId: string | null,
): void {
  ctx.events.emit('error', { time: ctx.options.clock(), sessionId, userId, error, phase });
}

/** Decodes a stored session; unreadable data is reported and read as null. */
export function decodeOrReport(
  ctx: SessionContext,
  record: StoredSession,
  phase: Phase,
): SessionEnvelope | null {
  try {
    return ctx.options.codec.decode(record.data);
  } catch (error) {
    report(ctx, error, phase, record.id, record.userId);
    return null;
  }
}

/**
 * Finds and decodes one session. A store's CorruptDataError and data the codec cannot read
 * both mean "nothing usable there" (reported, never a 500); any other store failure rejects.
 */
export async function readSession(
  ctx: SessionContext,
  id: string,
  phase: Phase,
  options?: CallOptions,
): Promise<ReadResult> {
  let record: StoredSession | null;
  try {
    record = await ctx.options.store.find(id, options);
  } catch (error) {
    if (!(error instanceof CorruptDataError)) throw error;
    report(ctx, error, phase, id, null);
    return { corrupt: true };
  }
  if (!record) return { missing: true };
  const envelope = decodeOrReport(ctx, record, phase);
  return envelope ? { record, envelope } : { corrupt: true };
}
