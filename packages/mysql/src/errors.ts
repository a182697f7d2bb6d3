import { InvalidInputError, StoreError, StoreUnavailableError } from '@hallpass/core';

/** SQLSTATE class 22, data exceptions (a value out of range, too long...): the caller's input. */
const INVALID_INPUT_STATE = /^22/;

/** ER_NO_SUCH_TABLE: say how to create the table rather than echo the server. */
const NO_SUCH_TABLE = 1146;

/**
 * Maps whatever mysql2 threw to the StoreError the contract requires, keeping it as `cause`.
 * Everything but bad input is "unavailable": refused or lost connections, connect and query
 * timeouts, a server shutting down, too many connections. Callers can retry those later, which
 * is all a session store caller can do anyway.
 */
export function toStoreError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const { errno, sqlState } = (error ?? {}) as { errno?: unknown; sqlState?: unknown };
  const message = error instanceof Error ? error.message || error.name : String(error);
  if (errno === NO_SUCH_TABLE) {
    return new StoreUnavailableError(
      `mysql ${operation}: the sessions table does not exist; apply the SQL in @hallpass/mysql/migrations or pass ensureSchema: true`,
      { cause: error },
    );
  }
  if (typeof sqlState === 'string' && INVALID_INPUT_STATE.test(sqlState)) {
    return new InvalidInputError(`mysql ${operation}: ${message}`, { cause: error });
  }
  return new StoreUnavailableError(`mysql ${operation}: ${message}`, { cause: error });
}
