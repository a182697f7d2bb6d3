import { quoteSqlIdentifier } from '@hallpass/core/store';
import type Database from 'better-sqlite3';

export function quoteTable(table: string): string {
  return quoteSqlIdentifier(table, 'table', '"', 48);
}

/**
 * The DDL of migrations/001_create_sessions.sql for any table name; a test keeps the shipped
 * file identical to it. Times are INTEGER epoch milliseconds (the application's clock);
 * `version` is the compare-and-set counter.
 */
export function sessionTableSql(table = 'hallpass_sessions'): string {
  const quoted = quoteTable(table);
  return `CREATE TABLE IF NOT EXISTS ${quoted} (
  id           TEXT    NOT NULL PRIMARY KEY,
  data         BLOB    NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_id      TEXT,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS "${table}_expires_at_idx" ON ${quoted} (expires_at);

CREATE INDEX IF NOT EXISTS "${table}_user_id_idx" ON ${quoted} (user_id) WHERE user_id IS NOT NULL;
`;
}

/** Creates the table and indexes if missing. Idempotent; SQLite serialises DDL itself. */
export function ensureSchema(db: Database.Database, table: string): void {
  db.exec(sessionTableSql(table));
}
