import type { Pool } from 'mysql2/promise';
import { quoteIndex, type TableNames, tableNames } from './identifiers.js';

export interface TableOptions {
  /** Default 'hallpass_sessions'. */
  table?: string;
  /** The database (schema) holding the table. Default: the connection's database. */
  database?: string;
}

/**
 * The CREATE TABLE statement for a table name, for teams that write their own migrations with
 * non-default names (migrations/ holds it for the defaults).
 */
export function sessionTableSql(options: TableOptions = {}): string {
  return createTableSql(tableNames(options.table ?? 'hallpass_sessions', options.database));
}

/**
 * The DDL of migrations/001_create_sessions.sql, for any table name. The shipped migration
 * file is this text for the defaults; a test keeps the two identical. One statement (indexes
 * inline), so concurrent runs from several processes need no lock: CREATE TABLE IF NOT EXISTS
 * is atomic in MySQL 8 and MariaDB.
 *
 * - `id` is VARBINARY: keyset pagination compares bytes on the primary key.
 * - `data` is MEDIUMBLOB (16 MiB): above the 4 MiB default limit and core's 1 MiB, where a
 *   BLOB (64 KiB) would be too small for ordinary sessions.
 * - `user_id` is utf8mb4 with a binary collation: any Unicode user id, and ids that differ
 *   only in case or accents are different users.
 * - Times are epoch milliseconds (BIGINT) of the application's clock; no time zone involved.
 * - `version` is the compare-and-set counter, bumped by every create-over-expired and update.
 */
export function createTableSql(names: TableNames): string {
  return `CREATE TABLE IF NOT EXISTS ${names.qualified} (
  id           VARBINARY(128) NOT NULL,
  data         MEDIUMBLOB     NOT NULL,
  expires_at   BIGINT         NOT NULL,
  user_id      VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at   BIGINT         NOT NULL,
  last_seen_at BIGINT         NOT NULL,
  version      BIGINT         NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY ${quoteIndex(names, 'expires_at_idx')} (expires_at),
  KEY ${quoteIndex(names, 'user_id_idx')} (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
`;
}

/** Creates the table and its indexes if they are missing. */
export async function ensureSchema(pool: Pool, names: TableNames): Promise<void> {
  await pool.query(createTableSql(names));
}
