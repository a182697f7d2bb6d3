import {
  CorruptDataError,
  InvalidInputError,
  StoreAbortedError,
  StoreConflictError,
  StoreError,
  StoreUnavailableError,
} from '../errors.js';

/** What a driver error means for the caller. */
export type StoreErrorKind = 'unavailable' | 'invalid-input' | 'corrupt-data' | 'conflict';

/**
 * A store's reading of its driver's errors: the kind, optionally with a message that says more
 * than the driver does (how to create a missing table). `undefined`: unavailable, with the
 * driver's message, which is what a lost connection, a timeout or a full disk all are.
 */
export type ErrorClassifier = (
  error: unknown,
) => StoreErrorKind | { kind: StoreErrorKind; message: string } | undefined;

const CLASSES = {
  unavailable: StoreUnavailableError,
  'invalid-input': InvalidInputError,
  'corrupt-data': CorruptDataError,
  conflict: StoreConflictError,
} as const;

export interface ErrorContext {
  /** The store's name, first in the message: 'postgres'. */
  store: string;
  /** The store call that failed: 'find', 'update', 'cleanup'. */
  operation: string;
  classify?: ErrorClassifier | undefined;
  /** A driver that rejects an aborted call with the signal's reason gets StoreAbortedError. */
  signal?: AbortSignal | undefined;
}

/**
 * What a store call rejects with: a StoreError as is, anything else mapped to the StoreError the
 * contract requires, with the original as `cause` for logs.
 */
export function toStoreError(error: unknown, context: ErrorContext): StoreError {
  // Stryker disable next-line ConditionalExpression: not reached by the stores of this run: a primitive that throws a StoreError of its own (core store-kit tests)
  if (error instanceof StoreError) return error;
  // Stryker disable next-line ConditionalExpression: not reached by the stores of this run: a driver that fails because the signal fired (core store-kit tests)
  if (context.signal?.aborted) return new StoreAbortedError(context.signal.reason);
  const verdict = context.classify?.(error);
  // Stryker disable ConditionalExpression,StringLiteral,LogicalOperator: not reached by the stores of this run: a classifier verdict with a message (SQLite's missing table; core store-kit tests) and a driver error without a message
  const kind = typeof verdict === 'object' ? verdict.kind : (verdict ?? 'unavailable');
  const detail =
    typeof verdict === 'object'
      ? verdict.message
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  // Stryker restore ConditionalExpression,StringLiteral,LogicalOperator
  return new CLASSES[kind](`${context.store} ${context.operation}: ${detail}`, { cause: error });
}
