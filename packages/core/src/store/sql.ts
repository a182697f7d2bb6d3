import { ConfigurationError } from '../errors.js';
import { BaseStore, type StoreCall } from './base-store.js';
import type { SessionRow } from './rows.js';

/*
 * What the SQL stores (SQLite, PostgreSQL, MySQL) share beyond BaseStore: one table layout
 * (the column names below), one identifier rule, one row mapping.
 */

/** The session table's columns, in the order every SELECT lists them. */
export const SQL_SESSION_COLUMNS = [
  'id',
  'data',
  'expires_at',
  'user_id',
  'created_at',
  'last_seen_at',
  'version',
] as const;

/** A row of the session table as a driver returns it (ids may come back as bytes). */
export type SqlSessionRow = Record<(typeof SQL_SESSION_COLUMNS)[number], unknown>;

/** A session-table row as the kit's SessionRow; a binary id column is read as latin1 text. */
export function fromSqlRow(row: SqlSessionRow): SessionRow {
  const { id } = row;
  return {
    id: id instanceof Uint8Array ? Buffer.from(id).toString('latin1') : String(id),
    data: row.data,
    expiresAt: row.expires_at,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    version: row.version,
  };
}

/**
 * Table, schema and index names end up inside SQL text (identifiers cannot be bound), so they
 * are checked against a conservative pattern and always quoted. `maxLength` is the database's
 * limit; a table name is kept to 48 characters so that index names derived from it fit.
 */
export function quoteSqlIdentifier(
  name: unknown,
  what: string,
  quote: '"' | '`',
  maxLength: number,
): string {
  const limit = what === 'table' ? Math.min(48, maxLength) : maxLength;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > limit) {
    throw new ConfigurationError(
      `${what} must be 1-${limit} characters of [A-Za-z0-9_] starting with a letter or underscore, got ${JSON.stringify(name)}`,
    );
  }
  return `${quote}${name}${quote}`;
}

/** The SELECTs every SQL store has, with the same parameters: see SqlStore. */
export type SqlSelect = 'find' | 'page' | 'listByUser';

/**
 * BaseStore for a session table: the reads, `delete` and cleanup are the same statements in
 * every SQL dialect, so a SQL store writes only how to run them, plus its writes.
 */
export abstract class SqlStore extends BaseStore {
  /**
   * Runs a SELECT of the table's columns (SQL_SESSION_COLUMNS) on live rows: `find` (id, now),
   * `page` (after id, now, limit; ordered by id), `listByUser` (user id, now).
   */
  protected abstract select(
    statement: SqlSelect,
    values: unknown[],
    call: StoreCall,
  ): Promise<SqlSessionRow[]>;

  /** Runs `delete` (id) or `deleteExpired` (now, limit); resolves with the rows it deleted. */
  protected abstract execute(
    statement: 'delete' | 'deleteExpired',
    values: unknown[],
    call: StoreCall,
  ): Promise<number>;

  protected async readRow(id: string, call: StoreCall): Promise<SessionRow | undefined> {
    const [row] = await this.select('find', [id, call.now], call);
    return row && fromSqlRow(row);
  }

  protected override async pageRows(after: string, limit: number, call: StoreCall) {
    return (await this.select('page', [after, call.now, limit], call)).map(fromSqlRow);
  }

  protected override async userRows(userId: string, call: StoreCall) {
    return (await this.select('listByUser', [userId, call.now], call)).map(fromSqlRow);
  }

  protected async deleteRow(id: string, call: StoreCall): Promise<void> {
    await this.execute('delete', [id], call);
  }

  protected override deleteExpiredRows(limit: number, call: StoreCall): Promise<number> {
    return this.execute('deleteExpired', [call.now, limit], call);
  }
}
