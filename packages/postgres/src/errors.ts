import { InvalidInputError, StoreError, StoreUnavailableError } from '@hallpass/core';

/** SQLSTATE class 22, data exceptions (a timestamp out of range...): the caller's input. */
const INVALID_INPUT_STATE = /^22/;

/** The table is missing: say how to create it rather than echo PostgreSQL. */
const UNDEFINED_TABLE = '42P01';

/**
 * Maps whatever pg threw to the StoreError the contract requires, keeping it as `cause`.
 * Everything but bad input is "unavailable": refused or reset connections, pool connect
 * timeouts, 08xxx connection exceptions, 57P01 admin shutdown, 53xxx resource limits, query
 * timeouts. Callers can retry those later, which is all a session store caller can do anyway.
 */
export function toStoreError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message || error.name : String(error);
  if (code === UNDEFINED_TABLE) {
    return new StoreUnavailableError(
      `postgres ${operation}: the sessions table does not exist; apply the SQL in @hallpass/postgres/migrations or pass ensureSchema: true`,
      { cause: error },
    );
  }
  if (code !== undefined && INVALID_INPUT_STATE.test(code)) {
    return new InvalidInputError(`postgres ${operation}: ${message}`, { cause: error });
  }
  return new StoreUnavailableError(`postgres ${operation}: ${message}`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
