import { CorruptDataError, type StoredSession } from '@hallpass/core';

/** A row as the statements in statements.ts select it. */
export interface SessionRow {
  /** VARBINARY arrives as bytes. */
  id: Buffer | string;
  data: Buffer | null;
  /** BIGINT arrives as a number, or a string on pools with `bigNumberStrings`. */
  expires_at: number | string;
  user_id: string | null;
  created_at: number | string;
  last_seen_at: number | string;
  version: number | string;
}

export function rowId(row: Pick<SessionRow, 'id'>): string {
  return typeof row.id === 'string' ? row.id : row.id.toString('latin1');
}

/**
 * A row as a StoredSession, or a CorruptDataError saying what is wrong with it. The schema
 * forbids nulls, but a hand-edited row or a table created by someone else's migration can
 * still hold what the contract cannot represent.
 */
export function toSession(row: SessionRow): StoredSession | CorruptDataError {
  const id = rowId(row);
  if (!Buffer.isBuffer(row.data)) {
    return new CorruptDataError(`mysql session ${id}: data is not bytes`);
  }
  const [expiresAt, createdAt, lastSeenAt, version] = [
    row.expires_at,
    row.created_at,
    row.last_seen_at,
    row.version,
  ].map((value) => (value === null ? Number.NaN : Number(value))) as [
    number,
    number,
    number,
    number,
  ];
  if (![expiresAt, createdAt, lastSeenAt, version].every(Number.isSafeInteger)) {
    return new CorruptDataError(`mysql session ${id}: a time or version is not an integer`);
  }
  if (row.user_id !== null && typeof row.user_id !== 'string') {
    return new CorruptDataError(`mysql session ${id}: user_id is not text`);
  }
  return {
    id,
    // A copy in a buffer of its own: the driver's Buffer may be a slice of a larger packet.
    data: new Uint8Array(row.data),
    expiresAt,
    userId: row.user_id,
    createdAt,
    lastSeenAt,
    version,
  };
}
