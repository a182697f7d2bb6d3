import { type Awaitable, mapAwaitable } from './awaitable.js';
import { BaseStore, type StoreCall } from './base-store.js';
import type { SessionRow } from './rows.js';

/*
 * What the SQL stores (SQLite, PostgreSQL, MySQL) share beyond BaseStore: one table layout
 * (the column names below) and one row mapping; the identifier rule is in sql-identifiers.ts.
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
    // Stryker disable next-line StringLiteral: not reached by the stores of this run: a binary id column (MySQL's)
    id: id instanceof Uint8Array ? Buffer.from(id).toString('latin1') : String(id),
    data: row.data,
    expiresAt: row.expires_at,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    version: row.version,
  };
}

function fromSqlRows(rows: SqlSessionRow[]): SessionRow[] {
  return rows.map(fromSqlRow);
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
  ): Awaitable<SqlSessionRow[]>;

  /**
   * Runs `find`, which matches at most one row. Override it when the driver has a cheaper call
   * for one row than for a list (better-sqlite3's get() stops at the row; all() steps once more).
   */
  // Stryker disable all: not reached by the stores of this run: SQLite overrides it (PostgreSQL and MySQL use it)
  protected selectRow(
    statement: 'find',
    values: unknown[],
    call: StoreCall,
  ): Awaitable<SqlSessionRow | undefined> {
    return mapAwaitable(this.select(statement, values, call), (rows) => rows[0]);
  }
  // Stryker restore all

  /** Runs `delete` (id) or `deleteExpired` (now, limit); resolves with the rows it deleted. */
  protected abstract execute(
    statement: 'delete' | 'deleteExpired',
    values: unknown[],
    call: StoreCall,
  ): Awaitable<number>;

  protected readRow(id: string, call: StoreCall): Awaitable<SessionRow | undefined> {
    return mapAwaitable(
      this.selectRow('find', [id, call.now], call),
      (row) => row && fromSqlRow(row),
    );
  }

  protected override pageRows(after: string, limit: number, call: StoreCall) {
    return mapAwaitable(this.select('page', [after, call.now, limit], call), fromSqlRows);
  }

  protected override userRows(userId: string, call: StoreCall) {
    return mapAwaitable(this.select('listByUser', [userId, call.now], call), fromSqlRows);
  }

  protected deleteRow(id: string, call: StoreCall): Awaitable<void> {
    return mapAwaitable(this.execute('delete', [id], call), () => undefined);
  }

  protected override deleteExpiredRows(limit: number, call: StoreCall): Awaitable<number> {
    return this.execute('deleteExpired', [call.now, limit], call);
  }
}
