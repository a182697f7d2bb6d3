import type { RawEntry, RawInspector } from '@hallpass/conformance';
import type Database from 'better-sqlite3';

/** Data larger than this is shown by size only: the suite searches raw text for short tokens. */
const SHOWN_DATA_BYTES = 64 * 1024;

interface RawRow {
  id: string;
  data: unknown;
  expires_at: unknown;
  user_id: unknown;
  created_at: unknown;
  last_seen_at: unknown;
  version: unknown;
}

/**
 * Raw access to the sessions table through a connection of the test's own. Rows have no
 * native expiry: only the store's cleanup deletes them.
 */
export function tableInspector(db: Database.Database, table: string): RawInspector {
  return {
    nativeExpiry: false,
    async entries(): Promise<RawEntry[]> {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all() as RawRow[];
      return rows.map((row) => ({
        key: row.id,
        raw: JSON.stringify({ ...row, data: showData(row.data) }),
        expiresAt: null,
      }));
    },
    async corrupt(id: string): Promise<void> {
      // SQLite columns are loosely typed: TEXT where the BLOB belongs is what a hand edit or a
      // foreign tool leaves behind.
      db.prepare(`UPDATE "${table}" SET data = 'not session bytes' WHERE id = ?`).run(id);
    },
  };
}

function showData(data: unknown): unknown {
  if (!Buffer.isBuffer(data)) return data;
  return data.length <= SHOWN_DATA_BYTES ? data.toString('latin1') : `${data.length} bytes`;
}
