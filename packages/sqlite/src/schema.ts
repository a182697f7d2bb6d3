import { ConfigurationError } from '@hallpass/core';
import type Database from 'better-sqlite3';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/**
 * The table name ends up inside SQL text (identifiers cannot be bound), so it is validated
 * against a conservative pattern and always double-quoted.
 */
export function quoteTable(table: string): string {
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw new ConfigurationError(
      `table must be 1-48 characters of [A-Za-z0-9_] starting with a letter or underscore, got ${JSON.stringify(table)}`,
    );
  }
  return `"${table}"`;
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
