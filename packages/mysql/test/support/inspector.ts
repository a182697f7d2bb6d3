import type { RawEntry, RawInspector } from '@hallpass/conformance';
import type mysql from 'mysql2/promise';

/** Data larger than this is shown by size only: the suite searches raw text for short tokens. */
const SHOWN_DATA_BYTES = 64 * 1024;

interface RawRow {
  id: Buffer;
  data: Buffer | null;
  expires_at: number;
  user_id: string | null;
  created_at: number;
  last_seen_at: number;
  version: number;
}

/**
 * Raw access to the sessions table for the conformance suite, through a pool of the test's own.
 * Rows have no native expiry: only the store's cleanup deletes them.
 */
export function tableInspector(pool: mysql.Pool, table: string): RawInspector {
  return {
    nativeExpiry: false,
    async entries(): Promise<RawEntry[]> {
      const [rows] = await pool.query<(RawRow & mysql.RowDataPacket)[]>(
        `SELECT id, data, expires_at, user_id, created_at, last_seen_at, version FROM ${table}`,
      );
      return rows.map((row) => {
        const id = row.id.toString('latin1');
        const data =
          row.data === null
            ? null
            : row.data.length <= SHOWN_DATA_BYTES
              ? row.data.toString('latin1')
              : `${row.data.length} bytes`;
        const raw = JSON.stringify({ ...row, id, data });
        return { key: id, raw, expiresAt: null };
      });
    },
    async corrupt(id: string): Promise<void> {
      // Every column is NOT NULL and an integer, so corruption is what a broken disk or a
      // hand edit leaves: bytes that are not what the codec wrote.
      await pool.query(`UPDATE ${table} SET data = UNHEX('FF00FE01C3') WHERE id = ?`, [id]);
    },
  };
}
