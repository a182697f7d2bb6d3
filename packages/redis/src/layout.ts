import { CorruptDataError } from '@hallpass/core';
import type { SessionRow } from '@hallpass/core/store';

/**
 * How one session is laid out in its Redis string value. A single string (not a hash) lets
 * create be one `SET NX PXAT` and find one `GET`; the fixed-offset header lets the Lua scripts
 * read the version and patch expiry/last-seen in place with SETRANGE, without re-sending data.
 *
 * All numbers are IEEE-754 doubles, big-endian, so any finite epoch-ms value round-trips.
 *
 *   offset  size  field
 *   0       4     magic "HP" 0x01 0x00 (format 1)
 *   4       8     version
 *   12      8     createdAt
 *   20      8     lastSeenAt
 *   28      8     expiresAt
 *   36      8     indexBound: the score the id has in its user's index (0 when anonymous)
 *   44      2     userId length in UTF-8 bytes, 0xFFFF for an anonymous session
 *   46      n     userId (UTF-8)
 *   46+n    ...   data (the codec's bytes, untouched)
 *
 * The Lua scripts in scripts.ts use the same offsets (1-based there): keep them in step.
 */
export const MAGIC = Buffer.from([0x48, 0x50, 0x01, 0x00]);
/** MAGIC read as one big-endian 32-bit number, to check a value's first bytes without a view. */
const MAGIC_NUMBER = MAGIC.readUInt32BE(0);
export const HEADER_BYTES = 46;
const ANONYMOUS = 0xffff;

export const OFFSET = {
  version: 4,
  createdAt: 12,
  lastSeenAt: 20,
  expiresAt: 28,
  indexBound: 36,
  userLength: 44,
} as const;

export interface EncodedFields {
  version: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  indexBound: number;
  userId: string | null;
  data: Uint8Array;
}

export function encodeSession(fields: EncodedFields): Buffer {
  const user = fields.userId === null ? null : Buffer.from(fields.userId, 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + (user?.length ?? 0) + fields.data.byteLength);
  MAGIC.copy(out, 0);
  out.writeDoubleBE(fields.version, OFFSET.version);
  out.writeDoubleBE(fields.createdAt, OFFSET.createdAt);
  out.writeDoubleBE(fields.lastSeenAt, OFFSET.lastSeenAt);
  out.writeDoubleBE(fields.expiresAt, OFFSET.expiresAt);
  out.writeDoubleBE(fields.indexBound, OFFSET.indexBound);
  out.writeUInt16BE(user === null ? ANONYMOUS : user.length, OFFSET.userLength);
  let at = HEADER_BYTES;
  if (user !== null) at += user.copy(out, at);
  out.set(fields.data, at);
  return out;
}

/** A stored value as its fields, before the kit's checks; indexBound is the store's own. */
export interface DecodedSession extends SessionRow {
  userId: string | null;
  expiresAt: number;
  indexBound: number;
}

/**
 * Decodes a stored value; throws CorruptDataError for anything this format did not write. The
 * data is a view into `value` (the kit copies what it hands out). Every find runs it, so the
 * fields are read in place and an error message is only built for a value that fails.
 */
export function decodeSession(id: string, value: Buffer): DecodedSession {
  if (value.length < HEADER_BYTES || value.readUInt32BE(0) !== MAGIC_NUMBER) {
    throw corrupt(id, 'not a hallpass session value');
  }
  const userLength = value.readUInt16BE(OFFSET.userLength);
  const dataStart = HEADER_BYTES + (userLength === ANONYMOUS ? 0 : userLength);
  if (dataStart > value.length) throw corrupt(id, 'truncated header');
  const indexBound = value.readDoubleBE(OFFSET.indexBound);
  // The kit checks the session's own fields too; the bound is only the store's to check.
  if (!Number.isFinite(indexBound)) throw corrupt(id, 'non-finite index bound');
  return {
    id,
    version: value.readDoubleBE(OFFSET.version),
    createdAt: value.readDoubleBE(OFFSET.createdAt),
    lastSeenAt: value.readDoubleBE(OFFSET.lastSeenAt),
    expiresAt: value.readDoubleBE(OFFSET.expiresAt),
    indexBound,
    userId:
      userLength === ANONYMOUS
        ? null
        : value.toString('utf8', HEADER_BYTES, HEADER_BYTES + userLength),
    data: value.subarray(dataStart),
  };
}

function corrupt(id: string, problem: string): CorruptDataError {
  return new CorruptDataError(`redis session ${id}: ${problem}`);
}

/** A double as the 8 big-endian bytes the header stores, for SETRANGE and Lua comparisons. */
export function doubleBytes(value: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeDoubleBE(value, 0);
  return out;
}
