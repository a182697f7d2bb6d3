import { SQL_SESSION_COLUMNS } from '@hallpass/core/store';
import type { TableNames } from './identifiers.js';

/**
 * Every SQL statement the store runs, built once per store. Each write is one statement, so
 * there is no read-then-write window for a concurrent request to slip into.
 *
 * One clock: "now" is always the application's clock, passed as a parameter (never NOW()),
 * so create/find/update agree with the expiry instants the application computed even when the
 * database server's clock drifts.
 *
 * Portable on purpose: no RETURNING (MariaDB only), no `AS new` row alias (MySQL 8.0.19+ only).
 * A write reports what it did through the OK packet instead: LAST_INSERT_ID(expr) sets the
 * insert id the server returns for the statement, on MySQL and MariaDB alike, so the version a
 * write produced (or 0 when it did not apply) comes back without a second round trip. That
 * also holds whatever the connection's FOUND_ROWS flag says about affected rows.
 */

const COLUMNS = SQL_SESSION_COLUMNS.join(', ');

/** Sets the statement's insert id to the row's version after the write (always > 0). */
const BUMP_VERSION = 'version = LAST_INSERT_ID(version + 1)';

export interface Statements {
  /** id, now. */
  find: string;
  /** id, now: whether a live session holds the id, and its version. */
  liveVersion: string;
  /**
   * id, data, expiresAt, userId, createdAt, lastSeenAt, then now (5 times) and the new values
   * again for the expired-row branch. Insert id: the new version, or 0 when a live row holds the id.
   */
  create: string;
  /** data, expiresAt, userId, lastSeenAt, id, now, expected, expected. Insert id: the new version. */
  update: string;
  /**
   * id, now, expected, expected: the first half of an update to a past expiry (a removal). Marks
   * the row expired and reports its next version; removeExpired then reclaims the row.
   */
  expire: string;
  /** id, version: deletes the row `expire` just marked, unless something rewrote it meanwhile. */
  removeExpired: string;
  /** expiresAt, lastSeenAt, id, now. Insert id 1 when the session was live. */
  touch: string;
  /** id. */
  delete: string;
  /** last id of the previous page ('' for the first), now, page size. */
  page: string;
  /** userId, now. */
  listByUser: string;
  /** userId, except id or null (twice), now: affected rows = live sessions ended. */
  deleteByUser: string;
  /** now, batch size. */
  deleteExpired: string;
}

export function buildStatements({ qualified: t }: TableNames): Statements {
  const live = (now = '?') => `expires_at > ${now}`;
  // ON DUPLICATE KEY UPDATE assigns left to right and later assignments see earlier ones, so
  // every column tests the old expires_at, which is therefore assigned last. A live row keeps
  // every value and sets the insert id to 0: "exists".
  const ifExpired = (column: string) => `${column} = IF(expires_at <= ?, ?, ${column})`;
  return {
    find: `SELECT ${COLUMNS} FROM ${t} WHERE id = ? AND ${live()}`,
    liveVersion: `SELECT version FROM ${t} WHERE id = ? AND ${live()}`,
    create: `INSERT INTO ${t} (id, data, expires_at, user_id, created_at, last_seen_at, version)
VALUES (?, ?, ?, ?, ?, ?, LAST_INSERT_ID(1))
ON DUPLICATE KEY UPDATE
  version = IF(expires_at <= ?, LAST_INSERT_ID(version + 1), version + LAST_INSERT_ID(0)),
  ${ifExpired('data')},
  ${ifExpired('user_id')},
  ${ifExpired('created_at')},
  ${ifExpired('last_seen_at')},
  ${ifExpired('expires_at')}`,
    update: `UPDATE ${t} SET data = ?, expires_at = ?, user_id = ?, last_seen_at = ?, ${BUMP_VERSION}
WHERE id = ? AND ${live()} AND (? IS NULL OR version = ?)`,
    expire: `UPDATE ${t} SET expires_at = 0, ${BUMP_VERSION}
WHERE id = ? AND ${live()} AND (? IS NULL OR version = ?)`,
    removeExpired: `DELETE FROM ${t} WHERE id = ? AND version = ? AND expires_at = 0`,
    // version + LAST_INSERT_ID(1) - 1 leaves the version alone and flags a matched row.
    touch: `UPDATE ${t} SET expires_at = ?, last_seen_at = ?, version = version + LAST_INSERT_ID(1) - 1
WHERE id = ? AND ${live()}`,
    delete: `DELETE FROM ${t} WHERE id = ?`,
    // Keyset pagination on the primary key: each page is an index range scan, never OFFSET.
    page: `SELECT ${COLUMNS} FROM ${t} WHERE id > ? AND ${live()} ORDER BY id LIMIT ?`,
    listByUser: `SELECT ${COLUMNS} FROM ${t} WHERE user_id = ? AND ${live()} ORDER BY created_at, id`,
    // Only live rows: their count is the answer, and the user's expired rows are invisible
    // already and left to cleanup (MySQL has no DELETE ... RETURNING to count both at once).
    deleteByUser: `DELETE FROM ${t} WHERE user_id = ? AND (? IS NULL OR id <> ?) AND ${live()}`,
    // Single-table DELETE ... ORDER BY ... LIMIT runs on the expiry index in MySQL and MariaDB;
    // the ORDER BY makes the batch deterministic (safe for statement-based replication).
    deleteExpired: `DELETE FROM ${t} WHERE expires_at <= ? ORDER BY expires_at, id LIMIT ?`,
  };
}
