import diagnosticsChannel from 'node:diagnostics_channel';
import {
  makeRecord,
  makeUpdate,
  randomId,
  randomUserId,
  type StoreTestContext,
} from '@hallpass/conformance';
import {
  ConfigurationError,
  CorruptDataError,
  type CorruptDataEvent,
  RecordTooLargeError,
  StoreUnavailableError,
} from '@hallpass/core';
import { Binary, type MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { type CorruptReport, MongoStore, type SessionDocument } from '../../src/index.js';
import type { Target } from './targets.js';

export interface Fixture {
  /** The test's own client (the stores share it; they must never close it). */
  client: MongoClient;
  databaseName: string;
  target: Target;
}

/** What the conformance suite cannot know about: document layout, indexes, TTL lag, clients. */
export function mongoSpecificTests(ctx: StoreTestContext<MongoStore>, fx: Fixture): void {
  const raw = () => fx.client.db(fx.databaseName).collection<SessionDocument>('sessions');
  /** A store on a collection of its own, for tests that look at indexes or options. */
  const isolated = (options: Partial<ConstructorParameters<typeof MongoStore>[0]> = {}) =>
    new MongoStore({
      client: fx.client,
      databaseName: fx.databaseName,
      collectionName: `isolated_${randomId()}`,
      ...options,
    });

  it('stores one document per session: _id, Binary data, Dates, userId, version', async () => {
    const id = randomId();
    const userId = randomUserId();
    const record = makeRecord({ userId });
    await ctx.store.create(id, record);
    const created = await raw().findOne({ _id: id });
    expect(created).toEqual({
      _id: id,
      data: expect.any(Binary),
      expiresAt: new Date(record.expiresAt),
      userId,
      createdAt: new Date(record.createdAt),
      lastSeenAt: new Date(record.lastSeenAt),
      version: 1,
    });
    expect(created?.data.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
    expect(Buffer.from(created!.data.buffer)).toEqual(Buffer.from(record.data));

    const changes = makeUpdate({ userId: null });
    await ctx.store.update(id, changes, { expectedVersion: 1 });
    const updated = await raw().findOne({ _id: id });
    expect(updated?.version).toBe(2);
    expect(updated?.userId).toBeNull();
    expect(updated?.createdAt).toEqual(new Date(record.createdAt));
    expect(updated?.expiresAt).toEqual(new Date(changes.expiresAt));
  });

  it('creates a TTL index on expiresAt (expireAfterSeconds 0) and a userId index', async () => {
    const store = isolated();
    try {
      await store.ensureIndexes();
      const indexes = await store.collection.listIndexes().toArray();
      const ttl = indexes.find((index) => index.name === 'hallpass_expiresAt_ttl');
      expect(ttl?.key).toEqual({ expiresAt: 1 });
      expect(ttl?.expireAfterSeconds).toBe(0);
      const byUser = indexes.find((index) => index.name === 'hallpass_userId_createdAt');
      expect(byUser?.key).toEqual({ userId: 1, createdAt: 1 });
      // Idempotent: a second store (another process) creating them again is fine.
      await expect(isolatedTwin(store).ensureIndexes()).resolves.toBeUndefined();
    } finally {
      await store.collection.drop();
    }
  });

  /** Another store on the same collection as `store`. */
  const isolatedTwin = (store: MongoStore) =>
    new MongoStore({
      client: fx.client,
      databaseName: fx.databaseName,
      collectionName: store.collection.collectionName,
    });

  it('ensureIndexes: false leaves the collection without the store indexes', async () => {
    const store = isolated({ ensureIndexes: false });
    try {
      await store.create(randomId(), makeRecord());
      const names = (await store.collection.listIndexes().toArray()).map((index) => index.name);
      expect(names).toEqual(['_id_']);
    } finally {
      await store.collection.drop();
    }
  });

  it('a conflicting index made by hand surfaces as a StoreError, not a crash', async () => {
    const store = isolated();
    try {
      await store.collection.createIndex(
        { expiresAt: 1 },
        { name: 'hallpass_expiresAt_ttl', expireAfterSeconds: 3600 },
      );
      await expect(store.find(randomId())).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.collection.drop();
    }
  });

  it('an expired document that TTL has not removed yet is invisible and does not block its id', async () => {
    // TTL deletion is lazy (mongod: about once a minute): write one as if it were pending.
    const id = randomId();
    const userId = randomUserId();
    const past = Date.now() - 60_000;
    await raw().insertOne({
      _id: id,
      data: new Binary(Buffer.from('stale')),
      expiresAt: new Date(past),
      userId,
      createdAt: new Date(past - 1000),
      lastSeenAt: new Date(past - 1000),
      version: 4,
    });
    expect(await ctx.store.find(id)).toBeNull();
    expect(await ctx.store.listByUser(userId)).toEqual([]);
    expect(await ctx.store.touch(id, ctx.clock() + 60_000, ctx.clock())).toBe(false);
    expect(await ctx.store.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
    for await (const session of ctx.store.iterate()) expect(session.id).not.toBe(id);
    expect(await ctx.store.deleteByUser(userId)).toBe(0);

    const record = makeRecord({ userId });
    expect(await ctx.store.create(id, record)).toEqual({ ok: true, version: 1 });
    expect((await ctx.store.find(id))?.createdAt).toBe(record.createdAt);
  });

  it('find rejects a corrupt document; listByUser skips it and reports it (callback and channel)', async () => {
    const events: CorruptDataEvent[] = [];
    const reports: CorruptReport[] = [];
    const published: unknown[] = [];
    const listener = (message: unknown) => published.push(message);
    diagnosticsChannel.subscribe('hallpass:store:corrupt-data', listener);
    const store = new MongoStore({
      client: fx.client,
      databaseName: fx.databaseName,
      onCorruptData: (event) => events.push(event),
    });
    // The deprecated option still hears about it, with the error's message as the reason.
    const legacy = new MongoStore({
      client: fx.client,
      databaseName: fx.databaseName,
      onCorrupt: (report) => reports.push(report),
    });
    try {
      const id = randomId();
      const userId = randomUserId();
      await store.create(id, makeRecord({ userId }));
      await raw().updateOne({ _id: id }, { $set: { data: 'text' as never } });
      await expect(store.find(id)).rejects.toBeInstanceOf(CorruptDataError);
      expect(await store.listByUser(userId)).toEqual([]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ store: 'mongodb', id });
      expect(events[0]?.error).toBeInstanceOf(CorruptDataError);
      expect(published).toContainEqual(events[0]);
      expect(await legacy.listByUser(userId)).toEqual([]);
      expect(reports).toEqual([{ id, reason: events[0]?.error.message }]);
    } finally {
      diagnosticsChannel.unsubscribe('hallpass:store:corrupt-data', listener);
      await store.close();
      await legacy.close();
    }
  });

  it('an update of a document whose version is not a number is CorruptDataError, not a crash', async () => {
    const id = randomId();
    const record = makeRecord();
    await ctx.store.create(id, record);
    await raw().updateOne({ _id: id }, { $set: { version: 'seven' as never } });
    await expect(ctx.store.update(id, makeUpdate())).rejects.toBeInstanceOf(CorruptDataError);
    // The compare-and-set path cannot match a non-numeric version: a conflict, nothing written.
    expect(await ctx.store.update(id, makeUpdate(), { expectedVersion: 1 })).toEqual({
      ok: false,
      reason: 'conflict',
    });
    expect((await raw().findOne({ _id: id }))?.expiresAt).toEqual(new Date(record.expiresAt));
    // An update that ends the session still removes it.
    const ended = await ctx.store.update(id, makeUpdate({ expiresAt: ctx.clock() - 1 }));
    expect(ended.ok).toBe(true);
    expect(await raw().findOne({ _id: id })).toBeNull();
  });

  it('rejects data over maxDataBytes with RecordTooLargeError before writing', async () => {
    const store = new MongoStore({
      client: fx.client,
      databaseName: fx.databaseName,
      maxDataBytes: 16,
    });
    try {
      const id = randomId();
      const big = makeRecord({ data: new Uint8Array(17) });
      await expect(store.create(id, big)).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(await raw().findOne({ _id: id })).toBeNull();
      await store.create(id, makeRecord({ data: new Uint8Array(16) }));
      await expect(
        store.update(id, makeUpdate({ data: new Uint8Array(17) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect((await raw().findOne({ _id: id }))?.data.buffer.length).toBe(16);
    } finally {
      await store.close();
    }
  });

  it('a user id that looks like a field path is stored as text', async () => {
    const id = randomId();
    await ctx.store.create(id, makeRecord());
    const changes = makeUpdate({ userId: '$version' });
    expect(await ctx.store.update(id, changes, { expectedVersion: 1 })).toEqual({
      ok: true,
      version: 2,
    });
    expect((await ctx.store.find(id))?.userId).toBe('$version');
  });

  it('close() leaves an application client open; a client made from url is closed', async () => {
    const shared = new MongoStore({ client: fx.client, databaseName: fx.databaseName });
    await shared.find(randomId());
    await shared.close();
    await expect(fx.client.db(fx.databaseName).command({ ping: 1 })).resolves.toMatchObject({
      ok: 1,
    });

    const own = new MongoStore({ url: fx.target.url, databaseName: fx.databaseName });
    const id = randomId();
    await own.create(id, makeRecord());
    expect(await own.find(id)).not.toBeNull();
    await own.close();
    await expect(own.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('accepts a Db handle and a collection name', async () => {
    const store = new MongoStore({ db: fx.client.db(fx.databaseName), collectionName: 'sessions' });
    const id = randomId();
    await ctx.store.create(id, makeRecord());
    expect(await store.find(id)).not.toBeNull();
  });

  it('needs exactly one of client, db or url', () => {
    expect(() => new MongoStore({})).toThrow(ConfigurationError);
    expect(() => new MongoStore({ client: fx.client, url: 'mongodb://127.0.0.1:1' })).toThrow(
      ConfigurationError,
    );
    expect(() => new MongoStore({ url: 'not a url' })).toThrow(ConfigurationError);
  });

  it('a server nobody listens on gives StoreUnavailableError, not a hang or a crash', async () => {
    const store = new MongoStore({
      url: 'mongodb://127.0.0.1:9/?directConnection=true',
      clientOptions: { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 },
    });
    try {
      await expect(store.find(randomId())).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.create(randomId(), makeRecord())).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      await expect(store.ensureIndexes()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
}
