import {
  BaseStore,
  type CorruptDataListener,
  type CreateResult,
  corruptDataChannel,
  type RowRecord,
  type RowUpdate,
  type SessionRow,
  type StoreCall,
  toStoreError,
  type UpdateResult,
  type WriteCall,
} from '@hallpass/core/store';
import type { Collection, Filter } from 'mongodb';
import { resolveConnection } from './connection.js';
import {
  compareAndSet,
  newDocument,
  type SessionDocument,
  toRow,
  updateFields,
} from './documents.js';
import { classifyMongoError } from './errors.js';
import { createSessionIndexes } from './indexes.js';
import { DEFAULT_MAX_DATA_BYTES, type MongoStoreOptions } from './options.js';

/** @deprecated Subscribe to `hallpass:store:corrupt-data` (`corruptDataChannel`), every store's channel. */
export const mongoStoreChannel = corruptDataChannel;

const DUPLICATE_KEY = 11000;
const VERSION_ONLY = { projection: { version: 1 } } as const;

/**
 * A Store on MongoDB through the official driver. One document per session (see README for
 * the layout); a TTL index deletes expired documents and every read also filters on expiry,
 * because TTL deletion runs only about once a minute.
 */
export class MongoStore extends BaseStore {
  /** The collection the sessions live in (for your own queries and administration). */
  readonly collection: Collection<SessionDocument>;
  readonly #close: (() => Promise<void>) | undefined;
  #indexes: Promise<void> | undefined;

  constructor(options: MongoStoreOptions) {
    const { collection, ownedClient } = resolveConnection(options);
    const { onCorrupt } = options;
    const legacy: CorruptDataListener | undefined =
      onCorrupt && ((event) => onCorrupt({ id: event.id, reason: event.error.message }));
    super({
      ...options,
      name: 'mongodb',
      classifyError: classifyMongoError,
      defaultMaxDataBytes: DEFAULT_MAX_DATA_BYTES,
      onCorruptData: options.onCorruptData ?? legacy,
    });
    this.collection = collection;
    this.#close = ownedClient && (() => ownedClient.close());
    if (options.ensureIndexes === false) this.#indexes = Promise.resolve();
  }

  /**
   * Creates the TTL and user indexes now (otherwise the first operation does). Call it at
   * start-up to learn about a bad connection or a conflicting index before the first request.
   */
  async ensureIndexes(): Promise<void> {
    try {
      await this.#createIndexes();
    } catch (error) {
      throw toStoreError(error, {
        store: 'mongodb',
        operation: 'ensureIndexes',
        classify: classifyMongoError,
      });
    }
  }

  /**
   * Creates the indexes once. A failure rejects with the driver's error, mapped by whoever
   * called (so the first request's error names that request: `mongodb find: …`), and lets the
   * next call try again: the server may just not be up yet.
   */
  #createIndexes(): Promise<void> {
    this.#indexes ??= createSessionIndexes(this.collection).catch((error: unknown) => {
      this.#indexes = undefined;
      throw error;
    });
    return this.#indexes;
  }

  protected async readRow(id: string, call: StoreCall): Promise<SessionRow | null> {
    const sessions = await this.#sessions();
    const document = await sessions.findOne(live({ _id: id }, call), withSignal(call));
    return document && toRow(document);
  }

  /**
   * One atomic write: replaces a document that is expired (or not a live session) but not yet
   * removed by TTL, inserts if there is none, and hits the _id unique index if a live session
   * holds the id.
   */
  protected async insertRow(id: string, record: RowRecord, call: StoreCall): Promise<CreateResult> {
    const sessions = await this.#sessions();
    const stale = { _id: id, expiresAt: { $not: { $gt: new Date(call.now) } } };
    try {
      await sessions.replaceOne(stale, newDocument(record), { upsert: true });
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY)
        return { ok: false, reason: 'exists' };
      throw error;
    }
    return { ok: true, version: 1 };
  }

  protected async updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Promise<UpdateResult> {
    const sessions = await this.#sessions();
    const expected = call.expectedVersion;
    if (expected === undefined) {
      // Without compare-and-set the new version comes back from the same atomic write ($inc
      // on a version that is not a number is refused: corrupt data).
      const change = { $set: updateFields(changes), $inc: { version: 1 } };
      const before = await sessions.findOneAndUpdate(live({ _id: id }, call), change, {
        ...VERSION_ONLY,
        returnDocument: 'before',
      });
      return before ? { ok: true, version: before.version + 1 } : { ok: false, reason: 'missing' };
    }
    // One write answers both questions: the filter finds the live session (matchedCount), and
    // the pipeline changes it only if the version still matches (modifiedCount), so a lost
    // race costs no extra round trip.
    const result = await sessions.updateOne(
      live({ _id: id }, call),
      compareAndSet(expected, changes),
    );
    if (result.matchedCount === 0) return { ok: false, reason: 'missing' };
    if (result.modifiedCount === 0) return { ok: false, reason: 'conflict' };
    return { ok: true, version: expected + 1 };
  }

  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    const sessions = await this.#sessions();
    const expected = call.expectedVersion;
    if (expected === undefined) {
      const removed = await sessions.findOneAndDelete(live({ _id: id }, call), VERSION_ONLY);
      if (!removed) return { ok: false, reason: 'missing' };
      // A corrupt version is gone with its session: the removal still happened.
      const previous = removed.version;
      return { ok: true, version: Number.isFinite(previous) ? previous + 1 : 1 };
    }
    const deleted = await sessions.deleteOne(live({ _id: id, version: expected }, call));
    if (deleted.deletedCount > 0) return { ok: true, version: expected + 1 };
    const held = await sessions.findOne(live({ _id: id }, call), { projection: { _id: 1 } });
    return { ok: false, reason: held ? 'conflict' : 'missing' };
  }

  protected override async touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Promise<boolean> {
    const sessions = await this.#sessions();
    const times = { expiresAt: new Date(expiresAt), lastSeenAt: new Date(lastSeenAt) };
    const result = await sessions.updateOne(live({ _id: id }, call), { $set: times });
    return result.matchedCount > 0;
  }

  protected async deleteRow(id: string): Promise<void> {
    const sessions = await this.#sessions();
    await sessions.deleteOne({ _id: id });
  }

  protected override async pageRows(
    after: string,
    limit: number,
    call: StoreCall,
  ): Promise<SessionRow[]> {
    const sessions = await this.#sessions();
    const page = await sessions
      .find(live({ _id: { $gt: after } }, call), withSignal(call))
      .sort({ _id: 1 })
      .limit(limit)
      .batchSize(limit)
      .toArray();
    return page.map(toRow);
  }

  protected override async userRows(userId: string, call: StoreCall): Promise<SessionRow[]> {
    const sessions = await this.#sessions();
    return (await sessions.find(live({ userId }, call), withSignal(call)).toArray()).map(toRow);
  }

  protected override async deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): Promise<number> {
    const sessions = await this.#sessions();
    const filter = except === undefined ? { userId } : { userId, _id: { $ne: except } };
    return (await sessions.deleteMany(live(filter, call))).deletedCount;
  }

  /** Closes the client the store created from `url`; a client you passed in stays open. */
  protected override async closeBackend(): Promise<void> {
    await this.#close?.();
  }

  /** The collection, once its indexes exist. */
  async #sessions(): Promise<Collection<SessionDocument>> {
    await this.#createIndexes();
    return this.collection;
  }
}

/** Adds the expiry filter every read needs: TTL deletion lags by up to a minute or more. */
function live(filter: Filter<SessionDocument>, call: StoreCall): Filter<SessionDocument> {
  return { ...filter, expiresAt: { $gt: new Date(call.now) } };
}

function withSignal(call: StoreCall): { signal?: AbortSignal } {
  return call.signal ? { signal: call.signal } : {};
}
