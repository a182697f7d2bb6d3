import expressMysqlSession from 'express-mysql-session';
import session from 'express-session';
import mysql from 'mysql2/promise';
import { type BackendDef, type BackendEnv, requireExport, type StoreClass } from './types.ts';

/** Same pool size for both libraries: mysql2's default, which is also hallpass's default. */
const CONNECTION_LIMIT = 10;

function url(env: BackendEnv): string {
  if (!env.mysqlUrl) throw new Error('no MariaDB server was started for this run');
  return env.mysqlUrl;
}

/** MySQL/MariaDB: each cell gets its own table on the run's throwaway server. */
export const mysqlBackend: BackendDef = {
  name: 'mysql',
  servers: ['mysql'],
  contenders: [
    {
      id: 'mysql/hallpass',
      backend: 'mysql',
      label: 'hallpass MysqlStore',
      library: 'hallpass',
      async build(env) {
        const MysqlStore = await requireExport<StoreClass>('@hallpass/mysql', 'MysqlStore');
        const pool = mysql.createPool({ uri: url(env), connectionLimit: CONNECTION_LIMIT });
        const table = `hp_${env.namespace}`;
        const store = new MysqlStore({ pool, table, ensureSchema: true });
        return {
          library: 'hallpass',
          store,
          close: async () => {
            await store.close();
            await pool.query(`DROP TABLE IF EXISTS \`${table}\``);
            await pool.end();
          },
        };
      },
    },
    {
      id: 'mysql/express-mysql-session',
      backend: 'mysql',
      label: 'express-session + express-mysql-session',
      library: 'express-session',
      async build(env) {
        const MySQLStore = expressMysqlSession(session);
        const pool = mysql.createPool({ uri: url(env), connectionLimit: CONNECTION_LIMIT });
        const tableName = `es_${env.namespace}`;
        const store = new MySQLStore({ createDatabaseTable: true, schema: { tableName } }, pool);
        await store.onReady();
        return {
          library: 'express-session',
          store,
          close: async () => {
            await store.close();
            await pool.query(`DROP TABLE IF EXISTS \`${tableName}\``);
            await pool.end();
          },
        };
      },
    },
  ],
};
