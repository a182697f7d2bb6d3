import { readFile } from 'node:fs/promises';
import { makeRecord, makeUpdate, randomId, type StoreTestContext } from '@hallpass/conformance';
import {
  ConfigurationError,
  CorruptDataError,
  InvalidInputError,
  RecordTooLargeError,
  StoreUnavailableError,
} from '@hallpass/core';
import mysql from 'mysql2/promise';
import { expect, it } from 'vitest';
import { type MysqlStore, sessionTableSql } from '../../src/index.js';
import { databaseUrl, testStore } from './mysql.js';

interface Fixture {
  /** The test's own pool on the run's database, for raw SQL. */
  admin: mysql.Pool;
  /** The database of this test run. */
  database: string;
}

/** Tests of what the conformance suite cannot know about: SQL, pools, cleanup, options. */
export function mysqlSpecificTests(ctx: StoreTestContext<MysqlStore>, fx: Fixture): void {
  const rowCount = async (table: string, where = 'true', values: unknown[] = []) => {
    const [rows] = await fx.admin.query<mysql.RowDataPacket[]>(
      `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
      values,
    );
    return Number(rows[0]!.n);
  };

  it('ships migrations/001_create_sessions.sql identical to what ensureSchema runs', async () => {
    const file = await readFile(
      new URL('../../migrations/001_create_sessions.sql', import.meta.url),
      'utf8',
    );
    expect(file).toContain(sessionTableSql());
  });

  it('ensureSchema creates a missing table, concurrently from several stores', async () => {
    const stores = Array.from({ length: 4 }, () =>
      testStore(fx.database, { table: 'concurrent_setup' }),
    );
    try {
      const id = randomId();
      // The first call of each store runs ensureSchema; they race on purpose.
      await Promise.all(stores.map((store) => store.find(id)));
      expect((await stores[0]!.create(id, makeRecord())).ok).toBe(true);
      expect(await stores[3]!.find(id)).not.toBeNull();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('without ensureSchema, a missing table is StoreUnavailableError saying how to create it', async () => {
    const store = testStore(fx.database, { table: 'never_created', ensureSchema: false });
    try {
      const error = await store.find(randomId()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/migrations|ensureSchema/);
    } finally {
      await store.close();
    }
  });

  it('rejects unsafe table names and ambiguous connection options', async () => {
    for (const name of ['bad`name', 'drop table x;', '', '1abc', 'a'.repeat(49)]) {
      expect(() => testStore(fx.database, { table: name }), `table ${name}`).toThrow(
        ConfigurationError,
      );
      if (name.length < 49) {
        expect(() => testStore(fx.database, { database: name }), `database ${name}`).toThrow(
          ConfigurationError,
        );
      }
    }
    expect(() => testStore(fx.database, { database: 'a'.repeat(65) })).toThrow(ConfigurationError);
    const pool = mysql.createPool({ uri: databaseUrl(fx.database) });
    try {
      expect(() => testStore(fx.database, { pool })).toThrow(ConfigurationError);
      expect(() => testStore(fx.database, { uri: undefined })).toThrow(ConfigurationError);
      expect(
        () => testStore(fx.database, { uri: undefined, pool: {} as unknown as mysql.Pool }),
        'not a mysql2 pool',
      ).toThrow(ConfigurationError);
    } finally {
      await pool.end();
    }
  });

  it('never ends a pool it was given; ends the one it created', async () => {
    const pool = mysql.createPool({ uri: databaseUrl(fx.database), connectionLimit: 2 });
    try {
      const borrowed = testStore(fx.database, { uri: undefined, pool });
      const id = randomId();
      await borrowed.create(id, makeRecord());
      await borrowed.close();
      const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);

      const owning = testStore(fx.database);
      expect(await owning.find(id)).not.toBeNull();
      await owning.close();
      await expect(owning.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await pool.end();
    }
  });

  it('names the table in another database with the database option', async () => {
    const store = new (ctx.store.constructor as typeof MysqlStore)({
      uri: databaseUrl('test'),
      database: fx.database,
      table: 'qualified',
      ensureSchema: true,
      cleanupIntervalMs: 0,
    });
    try {
      const id = randomId();
      expect((await store.create(id, makeRecord())).ok).toBe(true);
      expect(await rowCount('`qualified`', 'id = ?', [id])).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses data over maxDataBytes before writing anything', async () => {
    const store = testStore(fx.database, { maxDataBytes: 100 });
    try {
      const id = randomId();
      await expect(
        store.create(id, makeRecord({ data: new Uint8Array(101) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(await rowCount(store.tableName, 'id = ?', [id])).toBe(0);

      const record = makeRecord({ data: new Uint8Array(100).fill(1) });
      await store.create(id, record);
      await expect(
        store.update(id, makeUpdate({ data: new Uint8Array(101) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect((await store.find(id))?.data).toEqual(record.data);
    } finally {
      await store.close();
    }
  });

  it('ids and user ids that differ only in case are different', async () => {
    const lower = `case-${randomId()}`.toLowerCase();
    const upper = lower.toUpperCase();
    const userId = `Ünïcode-${randomId()}`;
    expect((await ctx.store.create(lower, makeRecord({ userId }))).ok).toBe(true);
    expect((await ctx.store.create(upper, makeRecord({ userId: userId.toLowerCase() }))).ok).toBe(
      true,
    );
    expect((await ctx.store.listByUser(userId)).map((s) => s.id)).toEqual([lower]);
    expect((await ctx.store.listByUser(userId.toLowerCase())).map((s) => s.id)).toEqual([upper]);
    expect(await ctx.store.deleteByUser(userId)).toBe(1);
    expect(await ctx.store.find(upper)).not.toBeNull();
  });

  it('a row with NULL data (a table without the NOT NULL) is CorruptDataError for find, skipped and reported in listings', async () => {
    const reported: CorruptDataError[] = [];
    const store = testStore(fx.database, {
      table: 'legacy_nullable',
      onCorruptData: (event) => reported.push(event.error),
    });
    try {
      const id = randomId();
      const userId = `user-${randomId()}`;
      await store.create(id, makeRecord({ userId }));
      await fx.admin.query(`ALTER TABLE ${store.tableName} MODIFY data MEDIUMBLOB NULL`);
      await fx.admin.query(`UPDATE ${store.tableName} SET data = NULL WHERE id = ?`, [id]);
      await expect(store.find(id)).rejects.toBeInstanceOf(CorruptDataError);
      expect(await store.listByUser(userId)).toEqual([]);
      expect(reported.length).toBe(1);
      expect(reported[0]!.message).toContain(id);
      await store.delete(id);
      expect(await rowCount(store.tableName)).toBe(0);
    } finally {
      await store.close();
    }
  });

  /** Rows that expired a minute ago, written straight into the table (no waiting for time). */
  const insertExpired = async (table: string, count: number) => {
    const past = Date.now() - 60_000;
    const rows = Array.from({ length: count }, (_, i) => [
      `expired-${randomId()}-${i}`,
      Buffer.from([0]),
      past,
      past - 3_600_000,
      past - 3_600_000,
    ]);
    await fx.admin.query(
      `INSERT INTO ${table} (id, data, expires_at, created_at, last_seen_at) VALUES ?`,
      [rows],
    );
  };

  it('deleteExpired removes expired rows in batches and keeps live ones', async () => {
    const store = testStore(fx.database, { table: 'cleanup_batches' });
    try {
      await store.ensureSchema();
      await insertExpired(store.tableName, 23);
      const live = Array.from({ length: 5 }, () => randomId());
      for (const id of live) await store.create(id, makeRecord());
      expect(await rowCount(store.tableName)).toBe(28);
      expect(await store.deleteExpired({ batchSize: 4 })).toBe(23);
      expect(await rowCount(store.tableName)).toBe(5);
      for (const id of live) expect(await store.find(id)).not.toBeNull();
      expect(await store.deleteExpired()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('the background cleanup deletes expired rows by itself', async () => {
    const store = testStore(fx.database, { table: 'cleanup_timer', cleanupIntervalMs: 50 });
    try {
      await store.ensureSchema();
      await insertExpired(store.tableName, 10);
      await store.create(randomId(), makeRecord());
      await expect.poll(() => rowCount(store.tableName), { timeout: 10_000, interval: 50 }).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('a time outside the range of a Date is InvalidInputError and writes nothing', async () => {
    const id = randomId();
    await expect(ctx.store.create(id, makeRecord({ expiresAt: 1e17 }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(await rowCount(ctx.store.tableName, 'id = ?', [id])).toBe(0);
    const record = makeRecord();
    await ctx.store.create(id, record);
    await expect(ctx.store.update(id, makeUpdate({ lastSeenAt: -1e300 }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect((await ctx.store.find(id))?.lastSeenAt).toBe(record.lastSeenAt);
  });

  it('stores times as the epoch milliseconds of the application clock', async () => {
    const id = randomId();
    const record = makeRecord({ expiresAt: Date.now() + 86_400_123 });
    await ctx.store.create(id, record);
    const [rows] = await fx.admin.query<mysql.RowDataPacket[]>(
      `SELECT expires_at FROM ${ctx.store.tableName} WHERE id = ?`,
      [id],
    );
    expect(Number(rows[0]!.expires_at)).toBe(record.expiresAt);
  });

  it('an update to a past expiry with no expected version removes the row and reports the next version', async () => {
    const id = randomId();
    const created = await ctx.store.create(id, makeRecord());
    expect(created).toEqual({ ok: true, version: 1 });
    const removed = await ctx.store.update(id, makeUpdate({ expiresAt: Date.now() - 1 }));
    expect(removed).toEqual({ ok: true, version: 2 });
    expect(await rowCount(ctx.store.tableName, 'id = ?', [id])).toBe(0);
  });
}
