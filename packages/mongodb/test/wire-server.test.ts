/**
 * The in-process wire-protocol server on its own, through the official driver: the commands
 * and index rules the store's suite relies on, so a gap in the server shows up here by name.
 */
import { type Document, MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoWireServer, supportedCommands } from './server/index.js';

/** Polls until `check` holds; the test timeout bounds the wait, never a duration assertion. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('MongoDB wire-protocol test server', () => {
  const server = new MongoWireServer();
  let client: MongoClient;
  const db = () => client.db('wire_server_test');

  beforeAll(async () => {
    client = new MongoClient(await server.start(), { serverSelectionTimeoutMS: 2_000 });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('completes the driver handshake as a standalone and answers ping and buildInfo', async () => {
    const admin = client.db('admin');
    await expect(admin.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    const hello = await admin.command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 25, ok: 1 });
    expect(hello.setName).toBeUndefined();
    expect((await admin.command({ buildInfo: 1 })).version).toBe('8.0.0');
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    const error = await db()
      .command({ frobnicate: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(59);
    expect(supportedCommands).toContain('findAndModify');
  });

  it('enforces unique indexes with E11000 errors the driver recognises', async () => {
    const users = db().collection<Document>('unique_users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ _id: 'a' as never, email: 'x@example.com' });
    const byIndex = await users
      .insertOne({ _id: 'b' as never, email: 'x@example.com' })
      .catch((e: unknown) => e as MongoServerError);
    expect(byIndex).toBeInstanceOf(MongoServerError);
    expect((byIndex as MongoServerError).code).toBe(11000);
    expect((byIndex as MongoServerError).keyValue).toEqual({ email: 'x@example.com' });
    const byId = await users
      .insertOne({ _id: 'a' as never, email: 'z@example.com' })
      .catch((e: unknown) => e);
    expect((byId as MongoServerError).code).toBe(11000);
    // An update that would collide is refused too, and changes nothing.
    await users.insertOne({ _id: 'c' as never, email: 'y@example.com' });
    const update = await users
      .updateOne({ _id: 'c' as never }, { $set: { email: 'x@example.com' } })
      .catch((e: unknown) => e);
    expect((update as MongoServerError).code).toBe(11000);
    expect(await users.findOne({ _id: 'c' as never })).toEqual({
      _id: 'c',
      email: 'y@example.com',
    });
    // A unique index cannot be built over existing duplicates.
    const tags = db().collection<Document>('unique_tags');
    await tags.insertMany([{ tag: 1 }, { tag: 1 }]);
    const build = await tags.createIndex({ tag: 1 }, { unique: true }).catch((e: unknown) => e);
    expect((build as MongoServerError).code).toBe(11000);
  });

  it('pages large results through getMore and honours sort, skip, limit and projection', async () => {
    const items = db().collection<Document>('paged');
    await items.insertMany(
      Array.from({ length: 250 }, (_, i) => ({ n: (i * 37) % 250, odd: i % 2 })),
    );
    const all = await items
      .find({}, { projection: { _id: 0, n: 1 } })
      .sort({ n: 1 })
      .batchSize(40)
      .toArray();
    expect(all).toEqual(Array.from({ length: 250 }, (_, n) => ({ n })));
    const page = await items.find({ odd: 1 }).sort({ n: -1 }).skip(5).limit(3).toArray();
    expect(page.map((doc) => doc.n)).toEqual([239, 237, 235]);
    // Closing a cursor early kills it on the server.
    const cursor = items.find({}).batchSize(10);
    await cursor.next();
    await expect(cursor.close()).resolves.toBeUndefined();
    expect(await items.countDocuments({ odd: 0 })).toBe(125);
    expect(await items.estimatedDocumentCount()).toBe(250);
  });

  it('applies operator, replacement and pipeline updates, upserts and findAndModify', async () => {
    const things = db().collection<Document>('things');
    const upsert = await things.updateOne(
      { _id: 'k' as never },
      { $set: { a: 1 }, $setOnInsert: { born: true } },
      { upsert: true },
    );
    expect(upsert.upsertedId).toBe('k');
    await things.updateOne(
      { _id: 'k' as never },
      { $inc: { a: 2 }, $setOnInsert: { born: false } },
    );
    expect(await things.findOne({ _id: 'k' as never })).toEqual({ _id: 'k', a: 3, born: true });

    const same = await things.updateOne({ _id: 'k' as never }, { $set: { a: 3 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const pipeline = await things.updateOne({ _id: 'k' as never }, [
      { $set: { a: { $cond: [{ $eq: ['$a', 3] }, 10, '$a'] } } },
    ]);
    expect(pipeline).toMatchObject({ matchedCount: 1, modifiedCount: 1 });

    await things.replaceOne({ _id: 'k' as never }, { only: 'this' });
    expect(await things.findOne({ _id: 'k' as never })).toEqual({ _id: 'k', only: 'this' });
    const immutable = await things
      .replaceOne({ _id: 'k' as never }, { _id: 'other', x: 1 })
      .catch((e: unknown) => e);
    expect((immutable as MongoServerError).code).toBe(66);

    await things.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await things.updateMany({ g: 1 }, { $unset: { g: '' } })).modifiedCount).toBe(2);
    const before = await things.findOneAndUpdate(
      { _id: 'k' as never },
      { $set: { only: 'that' } },
      { returnDocument: 'before' },
    );
    expect(before?.only).toBe('this');
    const after = await things.findOneAndUpdate(
      { _id: 'new' as never },
      { $set: { v: 1 } },
      { upsert: true, returnDocument: 'after', projection: { v: 1 } },
    );
    expect(after).toEqual({ _id: 'new', v: 1 });
    const removed = await things.findOneAndDelete({ _id: 'new' as never });
    expect(removed?.v).toBe(1);
    expect(await things.findOneAndDelete({ _id: 'new' as never })).toBeNull();

    const mismatch = await things
      .updateOne({ _id: 'k' as never }, { $inc: { only: 1 } })
      .catch((e: unknown) => e);
    expect((mismatch as MongoServerError).code).toBe(14);

    // $set may name _id when it keeps its value (connect-mongo's upsert does), never change it.
    const keepsId = await things.updateOne({ _id: 'k' as never }, { $set: { _id: 'k', kept: 1 } });
    expect(keepsId).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const changesId = await things
      .updateOne({ _id: 'k' as never }, { $set: { _id: 'other' } })
      .catch((e: unknown) => e);
    expect((changesId as MongoServerError).code).toBe(66);
    expect((await things.deleteMany({})).deletedCount).toBe(4);
  });

  it('keeps expired documents until the TTL monitor runs, then deletes them', async () => {
    const sessions = db().collection<Document>('ttl');
    await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
    await sessions.insertMany([
      { _id: 'old' as never, at: new Date(Date.now() - 1_000) },
      { _id: 'new' as never, at: new Date(Date.now() + 3_600_000) },
      { _id: 'nodate' as never, at: 'not a date' },
    ]);
    // The default monitor runs every 60 s like mongod's, so the expired one is still there.
    expect(await sessions.countDocuments({ _id: 'old' as never })).toBe(1);
    expect(server.sweepExpired()).toBe(1);
    expect((await sessions.find({}).toArray()).map((doc) => doc._id).sort()).toEqual([
      'new',
      'nodate',
    ]);
  });

  it('runs the TTL monitor in the background at the configured interval', async () => {
    const fast = new MongoWireServer({ ttlMonitorIntervalMs: 20 });
    const fastClient = new MongoClient(await fast.start());
    try {
      const docs = fastClient.db('ttl_background').collection<Document>('docs');
      await docs.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
      await docs.insertOne({ at: new Date(Date.now() + 100) });
      await eventually(async () => (await docs.countDocuments({})) === 0);
    } finally {
      await fastClient.close();
      await fast.stop();
    }
  });

  it('stop() drops connections; start() listens on the same port with the data kept', async () => {
    const restartable = new MongoWireServer();
    const url = await restartable.start();
    const port = restartable.port;
    const own = new MongoClient(url, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      const docs = own.db('restart').collection<Document>('docs');
      await docs.insertOne({ _id: 'kept' as never });
      await restartable.stop();
      await expect(docs.findOne({})).rejects.toThrow();
      await restartable.start();
      expect(restartable.port).toBe(port);
      await eventually(async () => (await docs.findOne({}).catch(() => null)) !== null);
      expect(await docs.findOne({})).toEqual({ _id: 'kept' });
      restartable.reset();
      expect(await docs.findOne({})).toBeNull();
    } finally {
      await own.close();
      await restartable.stop();
    }
  });

  it('lists, drops and recreates collections and databases', async () => {
    const scratch = client.db('wire_scratch');
    await scratch.createCollection('a');
    await scratch.collection('b').insertOne({ x: 1 });
    const names = (await scratch.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['a', 'b']);
    expect(await scratch.collection('a').drop()).toBe(true);
    await scratch.dropDatabase();
    expect(await scratch.listCollections().toArray()).toEqual([]);
    const missing = await scratch
      .collection('nothing')
      .listIndexes()
      .toArray()
      .catch((e: unknown) => e);
    expect((missing as MongoServerError).code).toBe(26);
  });
});
