import { join } from 'node:path';
import Database from 'better-sqlite3';
import betterSqlite3SessionStore from 'better-sqlite3-session-store';
import session from 'express-session';
import { type BackendDef, type BackendEnv, requireExport, type StoreClass } from './types.ts';

/**
 * Both libraries get a database file opened the same way, in WAL mode with synchronous=NORMAL
 * (what @hallpass/sqlite sets on files it opens itself), so the journal settings are not part
 * of the comparison.
 */
function openDatabase(env: BackendEnv, name: string): Database.Database {
  const db = new Database(join(env.dataDir, `${env.namespace}-${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

export const sqliteBackend: BackendDef = {
  name: 'sqlite',
  servers: [],
  contenders: [
    {
      id: 'sqlite/hallpass',
      backend: 'sqlite',
      label: 'hallpass SqliteStore',
      library: 'hallpass',
      async build(env) {
        const SqliteStore = await requireExport<StoreClass>('@hallpass/sqlite', 'SqliteStore');
        const database = openDatabase(env, 'hallpass');
        const store = new SqliteStore({ database });
        return {
          library: 'hallpass',
          store,
          sqlite: database,
          close: async () => {
            await store.close();
            database.close();
          },
        };
      },
    },
    {
      id: 'sqlite/better-sqlite3-session-store',
      backend: 'sqlite',
      label: 'express-session + better-sqlite3-session-store',
      library: 'express-session',
      async build(env) {
        const SqliteStore = betterSqlite3SessionStore(session);
        const client = openDatabase(env, 'express-session');
        const store = new SqliteStore({ client, expired: { clear: true, intervalMs: 900_000 } });
        return {
          library: 'express-session',
          store,
          sqlite: client,
          close: async () => void client.close(),
        };
      },
    },
  ],
};
