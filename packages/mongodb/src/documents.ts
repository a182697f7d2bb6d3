/**
 * The document layout of one session, and the checks that turn a stored document back into a
 * StoredSession. Anything that does not have this exact shape is corrupt: the store reads it
 * as "no session" and reports it, rather than handing malformed data to the SessionManager.
 */
import type { SessionRecord, SessionUpdate, StoredSession } from '@hallpass/core';
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

export type Decoded = { ok: true; session: StoredSession } | { ok: false; reason: string };

/** Reads a stored document back, or says why it is not a session this store wrote. */
export function fromDocument(document: Record<string, unknown>): Decoded {
  const { _id, data, expiresAt, userId, createdAt, lastSeenAt, version } = document;
  if (typeof _id !== 'string') return { ok: false, reason: '_id is not a string' };
  if (!isBinary(data)) return { ok: false, reason: 'data is not BSON binary' };
  for (const [field, value] of [
    ['expiresAt', expiresAt],
    ['createdAt', createdAt],
    ['lastSeenAt', lastSeenAt],
  ] as const) {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      return { ok: false, reason: `${field} is not a valid date` };
    }
  }
  if (userId !== null && typeof userId !== 'string') {
    return { ok: false, reason: 'userId is neither a string nor null' };
  }
  if (typeof version !== 'number' || !Number.isFinite(version)) {
    return { ok: false, reason: 'version is not a number' };
  }
  return {
    ok: true,
    session: {
      id: _id,
      // A copy, so the session never aliases a driver buffer.
      data: Uint8Array.prototype.slice.call(data.buffer),
      expiresAt: (expiresAt as Date).getTime(),
      userId,
      createdAt: (createdAt as Date).getTime(),
      lastSeenAt: (lastSeenAt as Date).getTime(),
      version,
    },
  };
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
