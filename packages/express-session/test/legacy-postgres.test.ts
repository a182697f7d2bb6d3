import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connectPgSimpleReader } from '../src/index.js';
import { describeLegacyImport } from './support/legacy-scenario.js';
import { POSTGRES_URL, serverAvailable, uniqueName } from './support/servers.js';

const available = await serverAvailable('postgres');
const PgStore = connectPgSimple(session);

async function openSchema() {
  const schemaName = uniqueName('pg');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  await pool.query(`CREATE SCHEMA "${schemaName}"`);
  const store = new PgStore({
    pool,
    schemaName,
    createTableIfMissing: true,
    pruneSessionInterval: false,
  });
  return {
    schemaName,
    pool,
    store,
    async cleanup() {
      await pool.query(`DROP SCHEMA "${schemaName}" CASCADE`);
      await pool.end();
    },
  };
}

describeLegacyImport('connect-pg-simple', available, async () => {
  const { schemaName, pool, store, cleanup } = await openSchema();
  return {
    store,
    reader: connectPgSimpleReader({ pool, schemaName }),
    async holds(sid) {
      const { rows } = await pool.query(`SELECT 1 FROM "${schemaName}"."session" WHERE sid = $1`, [
        sid,
      ]);
      return rows.length === 1;
    },
    cleanup,
  };
});

describe.skipIf(!available)('connectPgSimpleReader', () => {
  it('judges expiry as connect-pg-simple does, and still removes the expired row', async () => {
    const { schemaName, pool, store, cleanup } = await openSchema();
    try {
      const set = (sid: string, data: session.SessionData) =>
        new Promise<void>((resolve, reject) =>
          store.set(sid, data, (e) => (e ? reject(e) : resolve())),
        );
      const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) };
      await set('live', { cookie, passport: { user: 'u1' } } as never);
      await set('old', { cookie: { ...cookie, expires: new Date(Date.now() - 60_000) } } as never);
      const reader = connectPgSimpleReader({ pool, schemaName });
      expect(await reader.take('live')).toMatchObject({
        expired: false,
        session: { passport: { user: 'u1' } },
      });
      expect(await reader.take('old')).toMatchObject({ expired: true });
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schemaName}"."session"`);
      expect(rows[0].n).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
