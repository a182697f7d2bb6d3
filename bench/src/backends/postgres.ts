import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';
import { type BackendDef, type BackendEnv, requireExport, type StoreClass } from './types.ts';

/** Same pool size for both libraries: pg's default, which is also hallpass's default. */
const POOL_MAX = 10;

function url(env: BackendEnv): string {
  if (!env.postgresUrl) throw new Error('no PostgreSQL server was started for this run');
  return env.postgresUrl;
}

/** PostgreSQL: each cell gets its own table on the run's throwaway server. */
export const postgresBackend: BackendDef = {
  name: 'postgres',
  servers: ['postgres'],
  contenders: [
    {
      id: 'postgres/hallpass',
      backend: 'postgres',
      label: 'hallpass PostgresStore',
      library: 'hallpass',
      async build(env) {
        const PostgresStore = await requireExport<StoreClass>(
          '@hallpass/postgres',
          'PostgresStore',
        );
        const pool = new pg.Pool({ connectionString: url(env), max: POOL_MAX });
        const table = `hp_${env.namespace}`;
        const store = new PostgresStore({ pool, table, ensureSchema: true });
        return {
          library: 'hallpass',
          store,
          close: async () => {
            await store.close();
            await pool.query(`DROP TABLE IF EXISTS ${table}`);
            await pool.end();
          },
        };
      },
    },
    {
      id: 'postgres/connect-pg-simple',
      backend: 'postgres',
      label: 'express-session + connect-pg-simple',
      library: 'express-session',
      async build(env) {
        const PgStore = connectPgSimple(session);
        const pool = new pg.Pool({ connectionString: url(env), max: POOL_MAX });
        const tableName = `es_${env.namespace}`;
        const store = new PgStore({ pool, tableName, createTableIfMissing: true });
        return {
          library: 'express-session',
          store,
          close: async () => {
            store.close();
            await pool.query(`DROP TABLE IF EXISTS ${tableName}`);
            await pool.end();
          },
        };
      },
    },
  ],
};
