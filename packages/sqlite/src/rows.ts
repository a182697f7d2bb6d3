import { CorruptDataError, type StoredSession } from '@hallpass/core';

/** A row as the statements in statements.ts select it. */
export interface SessionRow {
  id: string;
  data: unknown;
  expires_at: unknown;
  user_id: unknown;
  created_at: unknown;
  last_seen_at: unknown;
  version: unknown;
}

/**
 * A row as a StoredSession, or a CorruptDataError saying what is wrong with it. SQLite columns
 * are loosely typed: a hand-edited row can hold TEXT or NULL where the BLOB belongs, or text
 * in a time column. Such a row reads as "no session" instead of handing garbage to the codec.
 */
export function toSession(row: SessionRow): StoredSession | CorruptDataError {
  const { id, data, expires_at, user_id, created_at, last_seen_at, version } = row;
  if (!Buffer.isBuffer(data)) {
    return new CorruptDataError(`sqlite session ${id}: data is not a BLOB`);
  }
  for (const value of [expires_at, created_at, last_seen_at, version]) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return new CorruptDataError(`sqlite session ${id}: a time or version is not a number`);
    }
  }
  if (user_id !== null && typeof user_id !== 'string') {
    return new CorruptDataError(`sqlite session ${id}: user_id is not text`);
  }
  return {
    id,
    // better-sqlite3 copies each BLOB into a fresh buffer: a view is safe to hand out.
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    expiresAt: expires_at as number,
    userId: user_id,
    createdAt: created_at as number,
    lastSeenAt: last_seen_at as number,
    version: version as number,
  };
}
