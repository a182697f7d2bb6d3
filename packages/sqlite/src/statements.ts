import { SQL_SESSION_COLUMNS } from '@hallpass/core/store';
import type Database from 'better-sqlite3';

const COLUMNS = SQL_SESSION_COLUMNS.join(', ');

/**
 * Every statement the store runs, prepared once per store and reused. Each write is a single
 * statement (SQLite upsert and RETURNING), so it is atomic across processes sharing the file.
 * "now" is always the application's clock (the store's `clock` option, default Date.now()), bound
 * as a parameter: one clock everywhere.
 */
export function prepareStatements(db: Database.Database, quotedTable: string): Statements {
  const t = quotedTable;
  const prepare = (sql: string) => db.prepare(sql);
  return {
    find: prepare(`SELECT ${COLUMNS} FROM ${t} WHERE id = ? AND expires_at > ?`),
    /** A live row makes the conditional DO UPDATE a no-op, so RETURNING yields nothing: "exists". */
    create: prepare(
      `INSERT INTO ${t} (id, data, expires_at, user_id, created_at, last_seen_at, version)
       VALUES (@id, @data, @expiresAt, @userId, @createdAt, @lastSeenAt, 1)
       ON CONFLICT (id) DO UPDATE SET
         data = excluded.data, expires_at = excluded.expires_at, user_id = excluded.user_id,
         created_at = excluded.created_at, last_seen_at = excluded.last_seen_at,
         version = version + 1
       WHERE expires_at <= @now
       RETURNING version`,
    ).pluck(),
    update: prepare(
      `UPDATE ${t} SET data = @data, expires_at = @expiresAt, user_id = @userId,
         last_seen_at = @lastSeenAt, version = version + 1
       WHERE id = @id AND expires_at > @now AND (@expected IS NULL OR version = @expected)
       RETURNING version`,
    ).pluck(),
    /** An update to an expiry in the past removes the row; it reports the next version. */
    updateToExpired: prepare(
      `DELETE FROM ${t}
       WHERE id = @id AND expires_at > @now AND (@expected IS NULL OR version = @expected)
       RETURNING version + 1`,
    ).pluck(),
    /** id, now: the live version, to tell "conflict" from "missing" after a refused write. */
    liveVersion: prepare(`SELECT version FROM ${t} WHERE id = ? AND expires_at > ?`).pluck(),
    touch: prepare(
      `UPDATE ${t} SET expires_at = @expiresAt, last_seen_at = @lastSeenAt
       WHERE id = @id AND expires_at > @now`,
    ),
    delete: prepare(`DELETE FROM ${t} WHERE id = ?`),
    /** Keyset pagination on the primary key: after id, now, page size. Never OFFSET. */
    page: prepare(
      `SELECT ${COLUMNS} FROM ${t} WHERE id > ? AND expires_at > ? ORDER BY id LIMIT ?`,
    ),
    listByUser: prepare(
      `SELECT ${COLUMNS} FROM ${t} WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id`,
    ),
    /** userId, except id or null (twice): every removed row's expiry, to count the live ones. */
    deleteByUser: prepare(
      `DELETE FROM ${t} WHERE user_id = ? AND (? IS NULL OR id <> ?) RETURNING expires_at`,
    ).pluck(),
    /** now, batch size. */
    deleteExpired: prepare(
      `DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE expires_at <= ? LIMIT ?)`,
    ),
  };
}

export type Statements = Record<
  | 'find'
  | 'create'
  | 'update'
  | 'updateToExpired'
  | 'liveVersion'
  | 'touch'
  | 'delete'
  | 'page'
  | 'listByUser'
  | 'deleteByUser'
  | 'deleteExpired',
  Database.Statement
>;
