import { type LegacyReader, type LegacyRecord, parseLegacySession } from './reader.js';

/** A better-sqlite3 Database (anything with its `prepare(sql).get(...)`). */
export interface LegacySqliteDatabase {
  prepare(sql: string): { get(...params: unknown[]): unknown };
}

export interface BetterSqlite3SessionStoreReaderOptions {
  db: LegacySqliteDatabase;
  /** The store's table; better-sqlite3-session-store always uses `sessions`. */
  tableName?: string;
}

/**
 * Sessions stored by better-sqlite3-session-store: a row (sid, sess JSON text, expire ISO
 * text), expired as the store judges it, `datetime('now') >= datetime(expire)`.
 */
export function betterSqlite3SessionStoreReader(
  options: BetterSqlite3SessionStoreReaderOptions,
): LegacyReader {
  const table = `"${(options.tableName ?? 'sessions').replaceAll('"', '""')}"`;
  const expired = `datetime('now') >= datetime(expire) AS expired`;
  const take = options.db.prepare(`DELETE FROM ${table} WHERE sid = ? RETURNING sess, ${expired}`);
  const read = options.db.prepare(`SELECT sess, ${expired} FROM ${table} WHERE sid = ?`);
  const toRecord = (row: unknown): LegacyRecord | null => {
    if (!row) return null;
    const { sess, expired: isExpired } = row as { sess: unknown; expired: unknown };
    const session = parseLegacySession(sess);
    return session && { session, expired: isExpired === 1 };
  };
  return {
    take: async (sid) => toRecord(take.get(sid)),
    read: async (sid) => toRecord(read.get(sid)),
  };
}
