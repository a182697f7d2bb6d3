import { CorruptDataError, type StoredSession } from '@hallpass/core';

/** A row as the statements in statements.ts select it. */
export interface SessionRow {
  id: string;
  data: Buffer | null;
  expires_at: number;
  user_id: string | null;
  created_at: number;
  last_seen_at: number;
  /** bigint arrives as a string from pg. */
  version: string | number;
}

/**
 * A row as a StoredSession, or a CorruptDataError saying what is wrong with it. The schema
 * forbids nulls, but a hand-edited row can still hold what the contract cannot represent:
 * an infinite timestamp ('infinity' makes a session immortal), or a NULL data column in a
 * table created by someone else's migration.
 */
export function toSession(row: SessionRow): StoredSession | CorruptDataError {
  if (!Buffer.isBuffer(row.data)) {
    return new CorruptDataError(`postgres session ${row.id}: data is not bytes`);
  }
  const version = Number(row.version);
  const times = [row.expires_at, row.created_at, row.last_seen_at, version];
  if (!times.every(Number.isFinite)) {
    return new CorruptDataError(`postgres session ${row.id}: a time or version is not finite`);
  }
  return {
    id: row.id,
    // A copy in a buffer of its own: pg's Buffer may be a slice of a shared slab.
    data: new Uint8Array(row.data),
    expiresAt: row.expires_at,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    version,
  };
}
