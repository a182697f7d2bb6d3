import type { TableNames } from './identifiers.js';

/**
 * Every SQL statement the store runs, built once per store. Each operation is one statement,
 * so there is no read-then-write window for a concurrent request to slip into.
 *
 * One clock: "now" is always the application's clock (the store's `clock` option, default
 * Date.now()), passed as a parameter. Records
 * carry expiry instants computed by the application, so comparing them with the same clock
 * keeps create/find/update consistent even when the database server's clock drifts.
 */

/** Epoch milliseconds (a bound parameter) to timestamptz, rounded to the microsecond. */
const at = (param: string) => `to_timestamp(${param}::float8 / 1000)`;
/** timestamptz back to epoch milliseconds; numeric extract keeps whole milliseconds exact. */
const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

const COLUMNS = [
  'id',
  'data',
  `${ms('expires_at')} AS expires_at`,
  'user_id',
  `${ms('created_at')} AS created_at`,
  `${ms('last_seen_at')} AS last_seen_at`,
  'version',
].join(', ');

export interface Statements {
  /** $1 id, $2 now. */
  find: string;
  /** $1 id, $2 data, $3 expiresAt, $4 userId, $5 createdAt, $6 lastSeenAt, $7 now. */
  create: string;
  /** $1 id, $2 data, $3 expiresAt, $4 userId, $5 lastSeenAt, $6 now, $7 expectedVersion. */
  update: string;
  /** $1 id, $2 now, $3 expectedVersion: update to an expiry in the past, i.e. a removal. */
  updateToExpired: string;
  /** $1 id, $2 expiresAt, $3 lastSeenAt, $4 now. */
  touch: string;
  /** $1 id. */
  delete: string;
  /** $1 last id of the previous page ('' for the first), $2 now, $3 page size. */
  page: string;
  /** $1 userId, $2 now. */
  listByUser: string;
  /** $1 userId, $2 except id or null, $3 now. */
  deleteByUser: string;
  /** $1 now, $2 batch size. */
  deleteExpired: string;
}

/**
 * A compare-and-set write that also says why it did not apply: `current` is the live
 * version the statement saw, `written` the version after the write (null if it did not apply).
 * A row changed concurrently is re-checked by PostgreSQL (READ COMMITTED re-evaluates the
 * WHERE clause on the newest row version), so a stale expectedVersion never overwrites.
 */
function compareAndSet(
  table: string,
  write: string,
  now: string,
  expected: string,
  returning = 'version',
): string {
  return `WITH current AS (
  SELECT version FROM ${table} WHERE id = $1 AND expires_at > ${at(now)}
), written AS (
  ${write}
  WHERE id = $1 AND expires_at > ${at(now)} AND (${expected}::bigint IS NULL OR version = ${expected}::bigint)
  RETURNING ${returning} AS version
)
SELECT (SELECT version FROM written) AS written, (SELECT version FROM current) AS current`;
}

export function buildStatements({ qualified: t }: TableNames): Statements {
  return {
    find: `SELECT ${COLUMNS} FROM ${t} WHERE id = $1 AND expires_at > ${at('$2')}`,
    // An expired row still holding the id is replaced in the same statement; a live one
    // makes the conditional DO UPDATE a no-op, so RETURNING yields nothing: "exists".
    create: `INSERT INTO ${t} AS s (id, data, expires_at, user_id, created_at, last_seen_at, version)
VALUES ($1, $2, ${at('$3')}, $4, ${at('$5')}, ${at('$6')}, 1)
ON CONFLICT (id) DO UPDATE SET
  data = EXCLUDED.data, expires_at = EXCLUDED.expires_at, user_id = EXCLUDED.user_id,
  created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at, version = s.version + 1
WHERE s.expires_at <= ${at('$7')}
RETURNING version`,
    update: compareAndSet(
      t,
      `UPDATE ${t} SET data = $2, expires_at = ${at('$3')}, user_id = $4,
    last_seen_at = ${at('$5')}, version = version + 1`,
      '$6',
      '$7',
    ),
    // The version a removal reports is the one the row would have had next.
    updateToExpired: compareAndSet(t, `DELETE FROM ${t}`, '$2', '$3', 'version + 1'),
    touch: `UPDATE ${t} SET expires_at = ${at('$2')}, last_seen_at = ${at('$3')}
WHERE id = $1 AND expires_at > ${at('$4')} RETURNING 1`,
    delete: `DELETE FROM ${t} WHERE id = $1`,
    // Keyset pagination on the primary key: each page is an index range scan, never OFFSET.
    page: `SELECT ${COLUMNS} FROM ${t} WHERE id > $1 AND expires_at > ${at('$2')} ORDER BY id LIMIT $3`,
    listByUser: `SELECT ${COLUMNS} FROM ${t}
WHERE user_id = $1 AND expires_at > ${at('$2')} ORDER BY created_at, id`,
    deleteByUser: `WITH removed AS (
  DELETE FROM ${t} WHERE user_id = $1 AND ($2::text IS NULL OR id <> $2::text) RETURNING expires_at
)
SELECT count(*) FILTER (WHERE expires_at > ${at('$3')})::int AS live FROM removed`,
    // SKIP LOCKED: rows a request is writing right now are left for the next batch instead of
    // making cleanup (and the requests queued behind it) wait. = ANY(ARRAY(...)) runs the
    // bounded subquery once, on the expiry index, then deletes by primary key: an IN (...)
    // here may be planned as a join that scans the whole table for every batch.
    deleteExpired: `DELETE FROM ${t} WHERE id = ANY(ARRAY(
  SELECT id FROM ${t} WHERE expires_at <= ${at('$1')} LIMIT $2 FOR UPDATE SKIP LOCKED
))`,
  };
}
