import { readFile } from 'node:fs/promises';
import { makeRecord, makeUpdate, randomId, type StoreTestContext } from '@hallpass/conformance';
import {
  ConfigurationError,
  CorruptDataError,
  InvalidInputError,
  RecordTooLargeError,
  StoreAbortedError,
  StoreUnavailableError,
} from '@hallpass/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { type PostgresStore, sessionTableSql } from '../../src/index.js';
import { POSTGRES_URL, testStore } from './postgres.js';

interface Fixture {
  /** The test's own pool, for raw SQL. */
  admin: pg.Pool;
  /** The schema of this test run. */
  schema: string;
}

/** Tests of what the conformance suite cannot know about: SQL, pools, cleanup, options. */
export function postgresSpecificTests(ctx: StoreTestContext<PostgresStore>, fx: Fixture): void {
  const rowCount = async (table: string, where = 'true') => {
    const { rows } = await fx.admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    );
    return rows[0]!.n;
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
      testStore(fx.schema, { table: 'concurrent_setup' }),
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
    const store = testStore(fx.schema, { table: 'never_created', ensureSchema: false });
    try {
      const error = await store.find(randomId()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/migrations|ensureSchema/);
    } finally {
      await store.close();
    }
  });

  it('rejects unsafe schema and table names and ambiguous connection options', () => {
    for (const name of ['bad"name', 'drop table x;', '', '1abc', 'a'.repeat(64)]) {
      expect(() => testStore(name), `schema ${name}`).toThrow(ConfigurationError);
      expect(() => testStore(fx.schema, { table: name }), `table ${name}`).toThrow(
        ConfigurationError,
      );
    }
    const pool = new pg.Pool({ connectionString: POSTGRES_URL });
    expect(() => testStore(fx.schema, { pool })).toThrow(ConfigurationError);
    expect(() => testStore(fx.schema, { connectionString: undefined })).toThrow(ConfigurationError);
    return pool.end();
  });

  it('takes the connection string from poolConfig as well', async () => {
    const store = testStore(fx.schema, {
      connectionString: undefined,
      poolConfig: { connectionString: POSTGRES_URL, max: 1 },
    });
    try {
      const id = randomId();
      expect((await store.create(id, makeRecord())).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('never ends a pool it was given; ends the one it created', async () => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    pool.on('error', () => {});
    try {
      const borrowed = testStore(fx.schema, { connectionString: undefined, pool });
      const id = randomId();
      await borrowed.create(id, makeRecord());
      await borrowed.close();
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      expect(pool.ending).toBe(false);

      const owning = testStore(fx.schema);
      expect(await owning.find(id)).not.toBeNull();
      await owning.close();
      await expect(owning.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await pool.end();
    }
  });

  it('refuses data over maxDataBytes before writing anything', async () => {
    const store = testStore(fx.schema, { maxDataBytes: 100 });
    try {
      const id = randomId();
      await expect(
        store.create(id, makeRecord({ data: new Uint8Array(101) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(await rowCount(store.tableName, `id = '${id}'`)).toBe(0);

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

  it('a row with NULL data (a table without the NOT NULL) is CorruptDataError for find, skipped and reported in listings', async () => {
    const reported: CorruptDataError[] = [];
    const store = testStore(fx.schema, {
      table: 'legacy_nullable',
      onCorruptData: (event) => reported.push(event.error),
    });
    try {
      const id = randomId();
      const userId = `user-${randomId()}`;
      await store.create(id, makeRecord({ userId }));
      await fx.admin.query(
        `ALTER TABLE ${store.tableName} ALTER COLUMN data DROP NOT NULL;
         UPDATE ${store.tableName} SET data = NULL WHERE id = '${id}'`,
      );
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
    await fx.admin.query(
      `INSERT INTO ${table} (id, data, expires_at, created_at, last_seen_at)
       SELECT 'expired-' || md5(random()::text) || g, '\\x00', now() - interval '1 minute',
              now() - interval '1 hour', now() - interval '1 hour'
       FROM generate_series(1, $1) AS g`,
      [count],
    );
  };

  it('deleteExpired removes expired rows in batches and keeps live ones', async () => {
    const store = testStore(fx.schema, { table: 'cleanup_batches' });
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

  it('deleteExpired judges expiry by the injected clock', async () => {
    const store = testStore(fx.schema, { table: 'cleanup_clock', clock: ctx.clock });
    try {
      await store.ensureSchema();
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 60_000 }));
      expect(await store.deleteExpired(), 'before the expiry').toBe(0);
      await ctx.advanceClock(60_001);
      expect(await store.deleteExpired(), 'after the clock passed the expiry').toBe(1);
      expect(await rowCount(store.tableName)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('the background cleanup deletes expired rows by itself', async () => {
    const store = testStore(fx.schema, { table: 'cleanup_timer', cleanupIntervalMs: 50 });
    try {
      await store.ensureSchema();
      await insertExpired(store.tableName, 10);
      await store.create(randomId(), makeRecord());
      await expect.poll(() => rowCount(store.tableName), { timeout: 10_000, interval: 50 }).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('an expiry beyond what timestamptz holds is InvalidInputError and writes nothing', async () => {
    const id = randomId();
    const far = 1e17; // about the year 3 170 000; timestamptz ends in 294276
    await expect(ctx.store.create(id, makeRecord({ expiresAt: far }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(await rowCount(ctx.store.tableName, `id = '${id}'`)).toBe(0);
    const record = makeRecord();
    await ctx.store.create(id, record);
    await expect(ctx.store.update(id, makeUpdate({ lastSeenAt: far }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect((await ctx.store.find(id))?.lastSeenAt).toBe(record.lastSeenAt);
  });

  it('an abort while the statement waits on the server rejects at once; the write stays whole', {
    timeout: 30_000,
  }, async () => {
    const id = randomId();
    const record = makeRecord();
    await ctx.store.create(id, record);
    // Another transaction holds the row, so the update has to wait inside PostgreSQL.
    const blocker = await fx.admin.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM ${ctx.store.tableName} WHERE id = $1 FOR UPDATE`, [id]);
      const controller = new AbortController();
      const changes = makeUpdate();
      const pending = ctx.store.update(id, changes, { signal: controller.signal });
      const outcome = pending.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      // Abort only once the statement is really waiting for the row lock on the server.
      await expect
        .poll(
          async () =>
            (
              await fx.admin.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
                [fx.schema],
              )
            ).rows[0]!.n,
          { timeout: 10_000 },
        )
        .toBe(1);
      controller.abort();
      expect(await outcome).toBeInstanceOf(StoreAbortedError);
      await blocker.query('COMMIT');
      // The statement was already sent: it completes on its own, as a whole.
      await expect
        .poll(async () => (await ctx.store.find(id))?.expiresAt, { timeout: 5_000 })
        .toBe(changes.expiresAt);
      expect((await ctx.store.find(id))?.data).toEqual(changes.data);
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      blocker.release();
    }
  });

  it('works without named prepared statements (for PgBouncer in transaction mode)', async () => {
    const store = testStore(fx.schema, { preparedStatements: false });
    try {
      const id = randomId();
      const created = await store.create(id, makeRecord());
      expect(created.ok).toBe(true);
      const updated = await store.update(id, makeUpdate(), {
        expectedVersion: created.ok ? created.version : -1,
      });
      expect(updated.ok).toBe(true);
      expect((await store.find(id))?.version).toBe(updated.ok ? updated.version : -1);
    } finally {
      await store.close();
    }
  });

  it('stores expiry as timestamptz equal to expiresAt, to the millisecond', async () => {
    const id = randomId();
    const record = makeRecord({ expiresAt: Date.now() + 86_400_123 });
    await ctx.store.create(id, record);
    const { rows } = await fx.admin.query<{ expires: string }>(
      `SELECT (extract(epoch FROM expires_at) * 1000)::text AS expires FROM ${ctx.store.tableName} WHERE id = $1`,
      [id],
    );
    expect(Number(rows[0]!.expires)).toBe(record.expiresAt);
  });
}
