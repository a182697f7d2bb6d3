import type { ErrorClassifier } from '@hallpass/core/store';

/** SQLSTATE class 22, data exceptions (a timestamp out of range...): the caller's input. */
const INVALID_INPUT_STATE = /^22/;

/** The table is missing: say how to create it rather than echo PostgreSQL. */
const UNDEFINED_TABLE = '42P01';

/**
 * What pg's errors mean. Everything but bad input is "unavailable" (the default): refused or
 * reset connections, pool connect timeouts, 08xxx connection exceptions, 57P01 admin shutdown,
 * 53xxx resource limits, query timeouts. Callers can retry those later.
 */
export const classifyPostgresError: ErrorClassifier = (error) => {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === UNDEFINED_TABLE) {
    return {
      kind: 'unavailable',
      message:
        'the sessions table does not exist; apply the SQL in @hallpass/postgres/migrations or pass ensureSchema: true',
    };
  }
  return typeof code === 'string' && INVALID_INPUT_STATE.test(code) ? 'invalid-input' : undefined;
};
