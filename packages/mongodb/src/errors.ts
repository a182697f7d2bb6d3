/**
 * Turns whatever the driver throws into the StoreError classes the contract promises, so
 * the SessionManager and applications never see driver-specific errors.
 */
import {
  CorruptDataError,
  InvalidInputError,
  StoreAbortedError,
  StoreError,
  StoreUnavailableError,
} from '@hallpass/core';
import { MongoError, MongoServerError } from 'mongodb';

/** A value of the wrong BSON type in a stored document (e.g. `$inc` on a string version). */
const TYPE_MISMATCH = 14;
/** The document would exceed 16 MiB. */
const OBJECT_TOO_LARGE = new Set([10334, 17419, 17420]);

export function toStoreError(error: unknown, signal: AbortSignal | undefined): StoreError {
  if (error instanceof StoreError) return error;
  // The driver rejects an aborted operation with the signal's reason, whatever it is.
  if (signal?.aborted) return new StoreAbortedError(signal.reason);
  if (error instanceof MongoServerError) {
    if (error.code === TYPE_MISMATCH) {
      return new CorruptDataError(
        `stored session has a field of the wrong type: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    if (typeof error.code === 'number' && OBJECT_TOO_LARGE.has(error.code)) {
      return new InvalidInputError('session document is larger than MongoDB allows', {
        cause: error,
      });
    }
  }
  if (error instanceof Error && error.name === 'BSONError' && /size|large/i.test(error.message)) {
    return new InvalidInputError('session document is larger than MongoDB allows', {
      cause: error,
    });
  }
  // Network errors, server selection timeouts, cleared pools, a closed client, a stepped-down
  // primary: the backend cannot serve the call now and a later retry may succeed.
  const reason = error instanceof Error ? error.message : String(error);
  const kind = error instanceof MongoError ? error.name : 'unexpected error';
  return new StoreUnavailableError(`MongoDB session store unavailable (${kind}): ${reason}`, {
    cause: error,
  });
}
