import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sqliteStoreFactory from 'better-sqlite3-session-store';
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import { betterSqlite3SessionStoreReader } from '../src/index.js';
import { describeLegacyImport } from './support/legacy-scenario.js';

const SqliteStore = sqliteStoreFactory(session);

function openDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'hallpass-legacy-'));
  const db = new Database(join(dir, 'sessions.db'));
  return {
    db,
    store: new SqliteStore({ client: db }),
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeLegacyImport('better-sqlite3-session-store', true, async () => {
  const { db, store, cleanup } = openDatabase();
  return {
    store,
    reader: betterSqlite3SessionStoreReader({ db }),
    holds: async (sid) => db.prepare('SELECT 1 FROM sessions WHERE sid = ?').get(sid) !== undefined,
    cleanup: async () => cleanup(),
  };
});

describe('betterSqlite3SessionStoreReader', () => {
  it('reports a row past its expire time as expired, as the store does', () => {
    const { db, cleanup } = openDatabase();
    try {
      const insert = db.prepare('INSERT INTO sessions (sid, sess, expire) VALUES (?, ?, ?)');
      insert.run(
        'live',
        JSON.stringify({ cookie: {}, n: 1 }),
        new Date(Date.now() + 60_000).toISOString(),
      );
      insert.run(
        'old',
        JSON.stringify({ cookie: {}, n: 2 }),
        new Date(Date.now() - 60_000).toISOString(),
      );
      const reader = betterSqlite3SessionStoreReader({ db });
      return Promise.all([reader.read('live'), reader.take('old')]).then(([live, old]) => {
        expect(live).toEqual({ session: { cookie: {}, n: 1 }, expired: false });
        expect(old).toEqual({ session: { cookie: {}, n: 2 }, expired: true });
      });
    } finally {
      cleanup();
    }
  });
});
