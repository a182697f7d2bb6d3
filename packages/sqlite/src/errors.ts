import { InvalidInputError, StoreError, StoreUnavailableError } from '@hallpass/core';

/** Values SQLite refuses to store: the caller's input, not the database's state. */
const INVALID_INPUT_CODES = new Set(['SQLITE_TOOBIG', 'SQLITE_MISMATCH', 'SQLITE_RANGE']);

/**
 * Maps what better-sqlite3 threw to the StoreError the contract requires, keeping it as
 * `cause`. Busy/locked past busy_timeout, I/O errors, a full disk, a read-only or corrupt file
 * and a closed connection are all "unavailable": the caller can only retry later.
 */
export function toStoreError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (/no such table/i.test(message)) {
    return new StoreUnavailableError(
      `sqlite ${operation}: the sessions table does not exist; apply the SQL in @hallpass/sqlite/migrations or leave ensureSchema on`,
      { cause: error },
    );
  }
  if ((typeof code === 'string' && INVALID_INPUT_CODES.has(code)) || error instanceof RangeError) {
    return new InvalidInputError(`sqlite ${operation}: ${message}`, { cause: error });
  }
  return new StoreUnavailableError(`sqlite ${operation}: ${message}`, { cause: error });
}
