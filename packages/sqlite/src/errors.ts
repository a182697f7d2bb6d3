import type { ErrorClassifier } from '@hallpass/core/store';

/** Values SQLite refuses to store: the caller's input, not the database's state. */
const INVALID_INPUT_CODES = new Set(['SQLITE_TOOBIG', 'SQLITE_MISMATCH', 'SQLITE_RANGE']);

/**
 * What better-sqlite3's errors mean. Busy/locked past busy_timeout, I/O errors, a full disk, a
 * read-only or corrupt file and a closed connection are all "unavailable" (the default): the
 * caller can only retry later.
 */
export const classifySqliteError: ErrorClassifier = (error) => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (/no such table/i.test(message)) {
    return {
      kind: 'unavailable',
      message:
        'the sessions table does not exist; apply the SQL in @hallpass/sqlite/migrations or leave ensureSchema on',
    };
  }
  if ((typeof code === 'string' && INVALID_INPUT_CODES.has(code)) || error instanceof RangeError) {
    return 'invalid-input';
  }
  return undefined;
};
