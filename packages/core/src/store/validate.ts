import { InvalidInputError, RecordTooLargeError } from '../errors.js';
import type { SessionRecord, SessionUpdate } from './contract.js';

/** Ids the SessionManager produces are 43 base64url characters; stores accept up to 128. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Input checks every store shares, so each store rejects bad input the same way. */
export function assertValidId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new InvalidInputError('session id must be 1-128 characters of [A-Za-z0-9_-]');
  }
}

export function assertValidUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
    throw new InvalidInputError('user id must be a non-empty string of at most 256 characters');
  }
}

export interface RecordLimits {
  /** Largest accepted `data`, in bytes. */
  maxDataBytes?: number;
}

export function assertValidRecord(
  record: SessionRecord | SessionUpdate,
  limits: RecordLimits = {},
): void {
  if (!(record.data instanceof Uint8Array)) {
    throw new InvalidInputError('session data must be a Uint8Array');
  }
  if (!Number.isFinite(record.expiresAt)) {
    throw new InvalidInputError('expiresAt must be a finite epoch-millisecond number');
  }
  if (!Number.isFinite(record.lastSeenAt)) {
    throw new InvalidInputError('lastSeenAt must be a finite epoch-millisecond number');
  }
  if ('createdAt' in record && !Number.isFinite(record.createdAt)) {
    throw new InvalidInputError('createdAt must be a finite epoch-millisecond number');
  }
  if (record.userId !== null) assertValidUserId(record.userId);
  if (limits.maxDataBytes !== undefined && record.data.byteLength > limits.maxDataBytes) {
    throw new RecordTooLargeError(record.data.byteLength, limits.maxDataBytes);
  }
}

/** The arguments of touch: a valid id and finite times. */
export function assertValidTouch(id: unknown, expiresAt: unknown, lastSeenAt: unknown): void {
  assertValidId(id);
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new InvalidInputError('expiresAt must be a finite epoch-millisecond number');
  }
  if (typeof lastSeenAt !== 'number' || !Number.isFinite(lastSeenAt)) {
    throw new InvalidInputError('lastSeenAt must be a finite epoch-millisecond number');
  }
}
