/**
 * The document layout of one session, and its mapping to the kit's SessionRow. The kit checks
 * the row (readSessionRow): a field of the wrong type reaches it as a value it refuses, so a
 * hand-edited document reads as corrupt data instead of reaching the codec.
 */
import type { SessionRecord, SessionUpdate } from '@hallpass/core';
import type { SessionRow } from '@hallpass/core/store';
import { Binary } from 'mongodb';

export interface SessionDocument {
  /** The session id (a hash of the token, never the token). */
  _id: string;
  /** The encoded session, opaque to the store: BSON binary subtype 0. */
  data: Binary;
  /** Absolute expiry; the TTL index deletes the document some time after it. */
  expiresAt: Date;
  /** Owner for the per-user index; null for anonymous sessions. */
  userId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** Compare-and-set counter: 1 on create, +1 on every update, untouched by touch. */
  version: number;
}

/** The fields an update rewrites (everything but `_id`, `createdAt` and `version`). */
export function updateFields(changes: SessionUpdate) {
  return {
    data: toBinary(changes.data),
    expiresAt: new Date(changes.expiresAt),
    userId: changes.userId,
    lastSeenAt: new Date(changes.lastSeenAt),
  };
}

/**
 * An update pipeline that applies `changes` only if the stored version is `expected`, and
 * otherwise leaves the document as it is (so the server reports it matched but not modified).
 * Values are wrapped in $literal: a user id starting with `$` must not read as a field path.
 */
export function compareAndSet(expected: number, changes: SessionUpdate) {
  const applies = { $eq: ['$version', expected] };
  const fields: Record<string, unknown> = { ...updateFields(changes), version: expected + 1 };
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    set[field] = { $cond: [applies, { $literal: value }, `$${field}`] };
  }
  return [{ $set: set }];
}

/** A new session's document, without `_id` (the upsert filter supplies it). */
export function newDocument(record: SessionRecord): Omit<SessionDocument, '_id'> {
  return {
    ...updateFields(record),
    createdAt: new Date(record.createdAt),
    version: 1,
  };
}

function toBinary(data: Uint8Array): Binary {
  // Copy: the caller may reuse its buffer while the driver is still serialising.
  return new Binary(Uint8Array.prototype.slice.call(data));
}

/** A stored document as the kit's row; a field of the wrong BSON type stays as it is. */
export function toRow(document: Record<string, unknown>): SessionRow {
  const { _id, data, expiresAt, userId, createdAt, lastSeenAt, version } = document;
  return {
    id: String(_id),
    data: isBinary(data) ? data.buffer : data,
    expiresAt: time(expiresAt),
    userId,
    createdAt: time(createdAt),
    lastSeenAt: time(lastSeenAt),
    version: typeof version === 'number' ? version : undefined,
  };
}

/** A BSON date as epoch ms; anything else (a number, a string) is not a time this store wrote. */
function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

/**
 * By BSON type tag, not instanceof: the application may load a different copy of `bson`
 * than this package (a driver bundled elsewhere), and both produce valid Binary values.
 */
function isBinary(value: unknown): value is Binary {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _bsontype?: unknown })._bsontype === 'Binary' &&
    (value as Binary).sub_type === Binary.SUBTYPE_DEFAULT &&
    (value as Binary).buffer instanceof Uint8Array
  );
}
