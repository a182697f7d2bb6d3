import type { ErrorClassifier } from '@hallpass/core/store';

/** SQLSTATE class 22, data exceptions (a value out of range, too long...): the caller's input. */
const INVALID_INPUT_STATE = /^22/;

/** ER_NO_SUCH_TABLE: say how to create the table rather than echo the server. */
const NO_SUCH_TABLE = 1146;

/**
 * What mysql2's errors mean. Everything but bad input is "unavailable" (the default): refused or
 * lost connections, connect and query timeouts, a server shutting down, too many connections.
 */
export const classifyMysqlError: ErrorClassifier = (error) => {
  const { errno, sqlState } = (error ?? {}) as { errno?: unknown; sqlState?: unknown };
  if (errno === NO_SUCH_TABLE) {
    return {
      kind: 'unavailable',
      message:
        'the sessions table does not exist; apply the SQL in @hallpass/mysql/migrations or pass ensureSchema: true',
    };
  }
  return typeof sqlState === 'string' && INVALID_INPUT_STATE.test(sqlState)
    ? 'invalid-input'
    : undefined;
};
