import type { RawEntry, RawInspector } from '@hallpass/conformance';
import type pg from 'pg';

/** Data larger than this is shown by size only: the suite searches raw text for short tokens. */
const SHOWN_DATA_BYTES = 64 * 1024;

/**
 * Raw access to the sessions table for the conformance suite, through a pool of the test's own.
 * Rows have no native expiry: only the store's cleanup deletes them.
 */
export function tableInspector(pool: pg.Pool, table: string): RawInspector {
  return {
    nativeExpiry: false,
    async entries(): Promise<RawEntry[]> {
      const { rows } = await pool.query<{ id: string; raw: string }>(
        `SELECT id, json_build_object(
           'id', id,
           'data', CASE WHEN octet_length(data) <= ${SHOWN_DATA_BYTES}
                        THEN encode(data, 'escape') ELSE octet_length(data) || ' bytes' END,
           'expires_at', expires_at, 'user_id', user_id, 'created_at', created_at,
           'last_seen_at', last_seen_at, 'version', version)::text AS raw
         FROM ${table}`,
      );
      return rows.map((row) => ({ key: row.id, raw: row.raw, expiresAt: null }));
    },
    async corrupt(id: string): Promise<void> {
      // The schema forbids NULLs, so corruption is a value the contract cannot carry: an
      // infinite expiry (what a hand-written "never expire" fix would leave behind).
      await pool.query(`UPDATE ${table} SET expires_at = 'infinity' WHERE id = $1`, [id]);
    },
  };
}
