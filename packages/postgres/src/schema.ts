import type { Pool } from 'pg';
import { quoteIdentifier, type TableNames, tableNames } from './identifiers.js';

export interface TableOptions {
  /** Default 'public'. */
  schema?: string | undefined;
  /** Default 'hallpass_sessions'. */
  table?: string | undefined;
}

/**
 * The CREATE TABLE and CREATE INDEX statements for a schema and table name, for teams that
 * write their own migrations with non-default names (migrations/ holds them for the defaults).
 */
export function sessionTableSql(options: TableOptions = {}): string {
  return createTableSql(
    tableNames(options.schema ?? 'public', options.table ?? 'hallpass_sessions'),
  );
}

/**
 * The DDL of migrations/001_create_sessions.sql, for any schema and table name. The shipped
 * migration file is this text for the defaults; a test keeps the two identical.
 *
 * - `id` uses the "C" collation so keyset pagination compares bytes and uses the primary key.
 * - Times are timestamptz; the store converts epoch milliseconds on the way in and out.
 * - `version` is the compare-and-set counter, bumped by every create-over-expired and update.
 */
export function createTableSql(names: TableNames): string {
  const expiresIndex = quoteIdentifier(`${names.table}_expires_at_idx`, 'index');
  const userIndex = quoteIdentifier(`${names.table}_user_id_idx`, 'index');
  return `CREATE TABLE IF NOT EXISTS ${names.qualified} (
  id           text COLLATE "C" PRIMARY KEY,
  data         bytea       NOT NULL,
  expires_at   timestamptz NOT NULL,
  user_id      text,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  version      bigint      NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS ${expiresIndex} ON ${names.qualified} (expires_at);

CREATE INDEX IF NOT EXISTS ${userIndex} ON ${names.qualified} (user_id) WHERE user_id IS NOT NULL;
`;
}

/**
 * Creates the schema, table and indexes if they are missing. Safe to run from many processes
 * at once: an advisory lock serialises them, because concurrent CREATE ... IF NOT EXISTS can
 * still fail on the system catalogs' unique indexes.
 */
export async function ensureSchema(pool: Pool, names: TableNames): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `hallpass:${names.qualified}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.schema}`);
    await client.query(createTableSql(names));
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    // A client whose transaction failed half-way is discarded rather than reused.
    client.release(true);
    throw error;
  }
}
