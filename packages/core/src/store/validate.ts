import { InvalidInputError, RecordTooLargeError } from '../errors.js';
import type { SessionRecord, SessionUpdate } from './contract.js';

/** Ids the SessionManager produces are 43 base64url characters; stores accept up to 128. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The latest (and, negated, earliest) instant a JavaScript Date can hold. A time beyond it
 * cannot be a real session's, and backends disagree on what they do with one (a SQL timestamp
 * overflows, a Redis PXAT refuses it), so every store refuses it up front.
 */
const MAX_TIME_MS = 8.64e15;

function assertTime(value: unknown, name: string): void {
  // Stryker disable next-line ConditionalExpression: `typeof` → false is equivalent (Number.isFinite refuses a non-number); the others here are killed
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_TIME_MS) {
    throw new InvalidInputError(`${name} must be an epoch-millisecond time a Date can hold`);
  }
}

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
  assertTime(record.expiresAt, 'expiresAt');
  assertTime(record.lastSeenAt, 'lastSeenAt');
  if ('createdAt' in record) assertTime(record.createdAt, 'createdAt');
  if (record.userId !== null) assertValidUserId(record.userId);
  // Stryker disable next-line ConditionalExpression: the first operand → true is equivalent (a length is never greater than undefined); the others here are killed
  if (limits.maxDataBytes !== undefined && record.data.byteLength > limits.maxDataBytes) {
    throw new RecordTooLargeError(record.data.byteLength, limits.maxDataBytes);
  }
}

/** The arguments of touch: a valid id and finite times. */
export function assertValidTouch(id: unknown, expiresAt: unknown, lastSeenAt: unknown): void {
  assertValidId(id);
  assertTime(expiresAt, 'expiresAt');
  assertTime(lastSeenAt, 'lastSeenAt');
}

/** A page or batch size: a positive safe integer. */
export function assertValidPageSize(value: unknown, name = 'pageSize'): asserts value is number {
  // Stryker disable next-line ConditionalExpression: `typeof` → false is equivalent (Number.isSafeInteger refuses a non-number); the others here are killed
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(`${name} must be a positive integer`);
  }
}

/** A compare-and-set version, when one is given: a finite number. */
export function assertValidVersion(value: unknown): asserts value is number | undefined {
  // Stryker disable next-line ConditionalExpression: `typeof` → false is equivalent (Number.isFinite refuses a non-number); the others here are killed
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new InvalidInputError('expectedVersion must be a finite number');
  }
}
