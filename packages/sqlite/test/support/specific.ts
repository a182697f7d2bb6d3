import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRecord, makeUpdate, randomId, type StoreTestContext } from '@hallpass/conformance';
import {
  ConfigurationError,
  CorruptDataError,
  RecordTooLargeError,
  StoreUnavailableError,
} from '@hallpass/core';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { SqliteStore, type SqliteStoreOptions, sessionTableSql } from '../../src/index.js';
import type { SqlitePaths } from './setup.js';

/** Tests of what the conformance suite cannot know about: files, pragmas, cleanup, options. */
export function sqliteSpecificTests(ctx: StoreTestContext<SqliteStore>, fx: SqlitePaths): void {
  const stores: SqliteStore[] = [];
  /** A store of this test on its own table of the shared file, closed by the test. */
  const storeOn = (table: string, options: Partial<SqliteStoreOptions> = {}) => {
    const store = new SqliteStore({
      filename: fx.filename,
      table,
      cleanupIntervalMs: 0,
      ...options,
    });
    stores.push(store);
    return store;
  };
  const rowCount = (db: Database.Database, table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const closeAll = () => Promise.all(stores.splice(0).map((store) => store.close()));

  it('ships migrations/001_create_sessions.sql identical to what ensureSchema runs', async () => {
    const file = await readFile(
      new URL('../../migrations/001_create_sessions.sql', import.meta.url),
      'utf8',
    );
    expect(file).toContain(sessionTableSql());
  });

  it('opens files in WAL mode with a busy timeout, creating the folder', async () => {
    const filename = join(fx.dir, 'nested', 'deeper', 'app.db');
    const store = new SqliteStore({ filename, busyTimeoutMs: 1234, cleanupIntervalMs: 0 });
    try {
      const id = randomId();
      await store.create(id, makeRecord());
      const db = new Database(filename, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(rowCount(db, 'hallpass_sessions')).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });

  it('close() releases the file it opened: a connection of its own can leave WAL mode', async () => {
    const filename = join(fx.dir, 'released', 'app.db');
    const store = new SqliteStore({ filename, cleanupIntervalMs: 0 });
    await store.create(randomId(), makeRecord());
    await store.close();
    // Leaving WAL needs the only connection to the file: a handle the store kept open blocks it.
    const db = new Database(filename, { timeout: 0 });
    try {
      expect(db.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    } finally {
      db.close();
    }
  });

  it('a write waits busyTimeoutMs for another connection, then is StoreUnavailableError with the cause', async () => {
    const filename = join(fx.dir, 'busy', 'app.db');
    const store = new SqliteStore({ filename, busyTimeoutMs: 50, cleanupIntervalMs: 0 });
    const writer = new Database(filename);
    try {
      writer.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const error = await store.create(randomId(), makeRecord()).catch((e: unknown) => e);
      // 50 ms asked for; better-sqlite3's default, were the option lost, is 5000 ms.
      expect(Date.now() - started, 'time the write waited').toBeLessThan(2_500);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('SQLITE_BUSY');
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
      await store.close();
    }
  });

  it('a table named like an SQL keyword works (the name is always quoted)', async () => {
    const store = storeOn('order');
    try {
      const id = randomId();
      const record = makeRecord();
      await store.create(id, record);
      expect((await store.find(id))?.expiresAt).toBe(record.expiresAt);
    } finally {
      await closeAll();
    }
  });

  it('works on :memory: and on a Database it was given, which it never closes', async () => {
    const memory = new SqliteStore({ filename: ':memory:', cleanupIntervalMs: 0 });
    const id = randomId();
    await memory.create(id, makeRecord());
    expect(await memory.find(id)).not.toBeNull();
    await memory.close();
    await expect(memory.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);

    const database = new Database(':memory:');
    try {
      const borrowed = new SqliteStore({ database, cleanupIntervalMs: 0 });
      await borrowed.create(id, makeRecord());
      await borrowed.close();
      expect(database.open).toBe(true);
      expect(rowCount(database, 'hallpass_sessions')).toBe(1);
    } finally {
      database.close();
    }
  });

  it('a file that cannot be opened as a database is StoreUnavailableError at construction', async () => {
    const notADatabase = join(fx.dir, 'not-a-database.db');
    await writeFile(notADatabase, 'this is a text file, not SQLite '.repeat(100));
    expect(() => new SqliteStore({ filename: notADatabase, cleanupIntervalMs: 0 })).toThrow(
      StoreUnavailableError,
    );
  });

  it('rejects unsafe table names and ambiguous options', async () => {
    for (const table of ['bad"name', 'x; DROP TABLE y', '', '1abc', 'a'.repeat(49)]) {
      expect(() => new SqliteStore({ filename: ':memory:', table }), table).toThrow(
        ConfigurationError,
      );
    }
    expect(() => new SqliteStore({})).toThrow(ConfigurationError);
    const database = new Database(':memory:');
    expect(() => new SqliteStore({ filename: ':memory:', database })).toThrow(ConfigurationError);
    database.close();
  });

  it('without ensureSchema, a missing table is StoreUnavailableError saying how to create it', async () => {
    const store = storeOn('never_created', { ensureSchema: false });
    try {
      const error = await store.find(randomId()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/migrations|ensureSchema/);
    } finally {
      await closeAll();
    }
  });

  it('refuses data over maxDataBytes before writing anything', async () => {
    const store = storeOn('size_limit', { maxDataBytes: 100 });
    const db = new Database(fx.filename, { readonly: true });
    try {
      const id = randomId();
      await expect(
        store.create(id, makeRecord({ data: new Uint8Array(101) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(rowCount(db, 'size_limit')).toBe(0);
      const record = makeRecord({ data: new Uint8Array(100).fill(1) });
      await store.create(id, record);
      await expect(
        store.update(id, makeUpdate({ data: new Uint8Array(101) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect((await store.find(id))?.data).toEqual(record.data);
    } finally {
      db.close();
      await closeAll();
    }
  });

  it('rows with NULL or TEXT data or a text expiry are CorruptDataError for find, skipped and reported in listings', async () => {
    const db = new Database(fx.filename);
    // The shipped table has NOT NULL; one made by another tool may not.
    db.exec(sessionTableSql('corrupt_rows').replace('data         BLOB    NOT NULL', 'data BLOB'));
    const reported: CorruptDataError[] = [];
    const store = storeOn('corrupt_rows', {
      onCorruptData: (event) => reported.push(event.error),
    });
    try {
      const userId = `user-${randomId()}`;
      const ids = [randomId(), randomId(), randomId()];
      for (const id of ids) await store.create(id, makeRecord({ userId }));
      const corrupt = db.prepare('UPDATE corrupt_rows SET data = ? WHERE id = ?');
      corrupt.run(null, ids[0]);
      corrupt.run('text', ids[1]);
      db.prepare(`UPDATE corrupt_rows SET expires_at = 'soon' WHERE id = ?`).run(ids[2]);
      for (const id of ids) {
        await expect(store.find(id), id).rejects.toBeInstanceOf(CorruptDataError);
      }
      expect(await store.listByUser(userId)).toEqual([]);
      expect(reported.length, 'the 3 rows listByUser skipped').toBe(3);
      // Rows created in the same millisecond list in id order, so check each is named once.
      for (const id of ids) {
        expect(reported.filter((error) => error.message.includes(id))).toHaveLength(1);
      }
      for (const id of ids) await store.delete(id);
      expect(rowCount(db, 'corrupt_rows')).toBe(0);
    } finally {
      db.close();
      await closeAll();
    }
  });

  /** Rows that expired a minute ago, written straight into the table (no waiting for time). */
  const insertExpired = (table: string, count: number) => {
    const db = new Database(fx.filename);
    try {
      const insert = db.prepare(
        `INSERT INTO "${table}" (id, data, expires_at, created_at, last_seen_at) VALUES (?, x'00', ?, ?, ?)`,
      );
      const past = Date.now() - 60_000;
      for (let i = 0; i < count; i++) insert.run(`expired-${randomId()}`, past, past, past);
    } finally {
      db.close();
    }
  };

  it('deleteExpired removes expired rows in batches and keeps live ones', async () => {
    const store = storeOn('cleanup_batches');
    const db = new Database(fx.filename, { readonly: true });
    try {
      insertExpired('cleanup_batches', 23);
      const live = Array.from({ length: 5 }, () => randomId());
      for (const id of live) await store.create(id, makeRecord());
      expect(rowCount(db, 'cleanup_batches')).toBe(28);
      expect(await store.deleteExpired({ batchSize: 4 })).toBe(23);
      expect(rowCount(db, 'cleanup_batches')).toBe(5);
      for (const id of live) expect(await store.find(id)).not.toBeNull();
      expect(await store.deleteExpired()).toBe(0);
    } finally {
      db.close();
      await closeAll();
    }
  });

  it('deleteExpired judges expiry by the injected clock', async () => {
    const store = storeOn('cleanup_clock', { clock: ctx.clock });
    const db = new Database(fx.filename, { readonly: true });
    try {
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 60_000 }));
      expect(await store.deleteExpired(), 'before the expiry').toBe(0);
      await ctx.advanceClock(60_001);
      expect(await store.deleteExpired(), 'after the clock passed the expiry').toBe(1);
      expect(rowCount(db, 'cleanup_clock')).toBe(0);
    } finally {
      db.close();
      await closeAll();
    }
  });

  it('the background cleanup deletes expired rows by itself', async () => {
    const store = storeOn('cleanup_timer', { cleanupIntervalMs: 50 });
    const db = new Database(fx.filename, { readonly: true });
    try {
      insertExpired('cleanup_timer', 10);
      await store.create(randomId(), makeRecord());
      await expect.poll(() => rowCount(db, 'cleanup_timer'), { timeout: 10_000 }).toBe(1);
    } finally {
      db.close();
      await closeAll();
    }
  });

  it('two stores on one file (two "processes") see each other and keep CAS atomic', async () => {
    const other = storeOn('hallpass_sessions');
    try {
      const id = randomId();
      const created = await ctx.store.create(id, makeRecord());
      if (!created.ok) throw new Error('create failed');
      expect((await other.find(id))?.version).toBe(created.version);
      const first = await other.update(id, makeUpdate(), { expectedVersion: created.version });
      expect(first.ok).toBe(true);
      expect(
        await ctx.store.update(id, makeUpdate(), { expectedVersion: created.version }),
      ).toEqual({ ok: false, reason: 'conflict' });
    } finally {
      await closeAll();
    }
  });
}
