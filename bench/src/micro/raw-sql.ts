import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DATA, type MicroDriver, TTL_MS } from './drivers.ts';

/**
 * pg with named (server-side prepared) statements on a pool of the same size as the store's,
 * against a table of the same shape as @hallpass/postgres's.
 */
export async function pgDriver(url: string, table: string): Promise<MicroDriver> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(`CREATE TABLE ${table} (
    id text COLLATE "C" PRIMARY KEY, data bytea NOT NULL, expires_at timestamptz NOT NULL,
    user_id text, created_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1)`);
  await pool.query(`CREATE INDEX ON ${table} (expires_at)`);
  const data = Buffer.from(DATA);
  const q = (name: string, text: string, values: unknown[]) =>
    pool.query({ name: `${table}_${name}`, text, values });
  const expiry = () => new Date(Date.now() + TTL_MS);
  return {
    find: (id) => q('find', `SELECT * FROM ${table} WHERE id = $1 AND expires_at > now()`, [id]),
    create: (id) =>
      q(
        'create',
        `INSERT INTO ${table} (id, data, expires_at, user_id, created_at, last_seen_at)
         VALUES ($1, $2, $3, NULL, now(), now()) ON CONFLICT (id) DO NOTHING`,
        [id, data, expiry()],
      ),
    update: (id) =>
      q(
        'update',
        `UPDATE ${table} SET data = $2, expires_at = $3, last_seen_at = now(), version = version + 1
         WHERE id = $1 AND expires_at > now()`,
        [id, data, expiry()],
      ),
    touch: (id) =>
      q(
        'touch',
        `UPDATE ${table} SET expires_at = $2, last_seen_at = now() WHERE id = $1 AND expires_at > now()`,
        [id, expiry()],
      ),
    delete: (id) => q('delete', `DELETE FROM ${table} WHERE id = $1`, [id]),
    close: async () => {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
      await pool.end();
    },
  };
}

/** A MicroDriver's `settle` on SQLite: the WAL checkpointed into the database and emptied. */
export function emptyWal(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** better-sqlite3 prepared statements on a WAL database, as the hallpass store uses. */
export async function sqliteDriver(dir: string, name: string): Promise<MicroDriver> {
  const db = new Database(join(dir, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE sessions (
    id TEXT PRIMARY KEY, data BLOB NOT NULL, expires_at INTEGER NOT NULL, user_id TEXT,
    created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1)`);
  db.exec('CREATE INDEX sessions_expires ON sessions (expires_at)');
  const find = db.prepare('SELECT * FROM sessions WHERE id = ? AND expires_at > ?');
  const create = db.prepare(
    'INSERT INTO sessions (id, data, expires_at, user_id, created_at, last_seen_at) VALUES (?, ?, ?, NULL, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const update = db.prepare(
    'UPDATE sessions SET data = ?, expires_at = ?, last_seen_at = ?, version = version + 1 WHERE id = ? AND expires_at > ?',
  );
  const touch = db.prepare(
    'UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE id = ? AND expires_at > ?',
  );
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
  const data = Buffer.from(DATA);
  // Async wrappers like the store's: the caller awaits every call either way.
  return {
    find: async (id) => find.get(id, Date.now()),
    create: async (id) => {
      const now = Date.now();
      return create.run(id, data, now + TTL_MS, now, now);
    },
    update: async (id) => {
      const now = Date.now();
      return update.run(data, now + TTL_MS, now, id, now);
    },
    touch: async (id) => {
      const now = Date.now();
      return touch.run(now + TTL_MS, now, id, now);
    },
    delete: async (id) => remove.run(id),
    settle: () => emptyWal(db),
    close: async () => void db.close(),
  };
}
