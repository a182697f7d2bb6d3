import { CorruptDataError } from '../errors.js';
import { copyBytes } from './byte-copies.js';
import type { StoredSession } from './contract.js';
import { toNumber } from './driver-values.js';

/**
 * A session as a backend hands it back, before anything is trusted: a SQL row, a decoded Redis
 * value, a MongoDB document, an entry of a Map. The store maps its own field names onto these;
 * the kit checks the values (readSessionRow), so a hand-edited or half-migrated row reads as
 * corrupt data instead of reaching the codec.
 */
export interface SessionRow {
  /** The id, as text (a store decodes a binary key column first). */
  id: string;
  /** Bytes: a Uint8Array or Buffer. */
  data: unknown;
  /** Times and version: numbers, bigints or numeric strings (a BIGINT from pg or mysql2). */
  expiresAt: unknown;
  userId: unknown;
  createdAt: unknown;
  lastSeenAt: unknown;
  version: unknown;
}

/** How readSessionRow may treat a row's bytes. */
export interface ReadRowOptions {
  /**
   * The bytes were allocated for this read and nothing else holds them (better-sqlite3 copies
   * every BLOB into a new Buffer): they are handed out without a copy, when they fill their
   * whole ArrayBuffer (a pooled slice would expose its neighbours through `.buffer`).
   */
  freshData?: boolean | undefined;
}

/**
 * The one row validator: a StoredSession with its own bytes, or a CorruptDataError saying what
 * is wrong. The bytes are a plain Uint8Array of exactly the data's size that nothing else writes
 * into (a copy unless `freshData`, see byte-copies.ts): a caller writing into it never reaches
 * the stored bytes, nor a driver's buffer that may be a slice of a larger packet or slab. It
 * runs on every read, so a valid row costs the checks and the copy only: the error message is
 * built when a check fails.
 */
export function readSessionRow(
  row: SessionRow,
  store: string,
  options?: ReadRowOptions,
): StoredSession | CorruptDataError {
  const { data, userId } = row;
  if (!(data instanceof Uint8Array)) return corrupt(store, row, 'data is not bytes');
  const expiresAt = toNumber(row.expiresAt);
  const createdAt = toNumber(row.createdAt);
  const lastSeenAt = toNumber(row.lastSeenAt);
  const version = toNumber(row.version);
  if (
    !Number.isFinite(expiresAt) ||
    !Number.isFinite(createdAt) ||
    !Number.isFinite(lastSeenAt) ||
    !Number.isFinite(version)
  ) {
    return corrupt(store, row, 'a time or the version is not a finite number');
  }
  if (userId !== null && typeof userId !== 'string') {
    return corrupt(store, row, 'the user id is not text');
  }
  // Stryker disable next-line OptionalChaining: equivalent, BaseStore always passes the options
  const bytes = options?.freshData ? ownBytes(data) : copyBytes(data);
  return {
    id: row.id,
    data: bytes,
    expiresAt,
    userId,
    createdAt,
    lastSeenAt,
    version,
  };
}

/** `data` as a plain Uint8Array on the same memory when it is all of it; otherwise a copy. */
function ownBytes(data: Uint8Array): Uint8Array {
  // Stryker disable next-line all: not reached by the stores of this run: better-sqlite3, the one driver here that declares fresh bytes, always hands a whole buffer (core store-kit-sync-primitives tests)
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return whole ? new Uint8Array(data.buffer, 0, data.byteLength) : copyBytes(data);
}

function corrupt(store: string, row: SessionRow, problem: string): CorruptDataError {
  return new CorruptDataError(`${store} session ${row.id}: ${problem}`);
}
