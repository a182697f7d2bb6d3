import { CorruptDataError, StoreError, StoreUnavailableError } from '@hallpass/core';

/**
 * Maps whatever ioredis rejects with to the store contract's errors. Connection loss, timeouts,
 * MaxRetriesPerRequestError, CLUSTERDOWN, LOADING and the like all mean "try again later", so
 * everything that is not already a StoreError becomes StoreUnavailableError, with the original
 * error as `cause` for logs.
 */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  if (isWrongType(error)) {
    return new CorruptDataError('a key of the store holds a value of the wrong Redis type', {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`redis: ${message}`, { cause: error });
}

export function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
