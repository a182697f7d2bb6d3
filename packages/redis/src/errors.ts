import type { ErrorClassifier } from '@hallpass/core/store';

export const WRONG_TYPE = 'a key of the store holds a value of the wrong Redis type';

/**
 * Reads ioredis's and node-redis's errors for the kit. Connection loss, timeouts,
 * MaxRetriesPerRequestError, CLUSTERDOWN, LOADING and the like all mean "try again later",
 * which is the kit's default (StoreUnavailableError, with the original as `cause`); only a key
 * of the wrong type (WRONGTYPE) says something about the data.
 */
export const classifyRedisError: ErrorClassifier = (error) =>
  isWrongType(error) ? { kind: 'corrupt-data', message: WRONG_TYPE } : undefined;

export function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
