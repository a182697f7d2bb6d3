import diagnosticsChannel from 'node:diagnostics_channel';
import {
  assertValidId,
  assertValidRecord,
  assertValidUserId,
  type CallOptions,
  type CreateResult,
  type DeleteByUserOptions,
  InvalidInputError,
  type IterableStore,
  type IterateOptions,
  resolveClock,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  type StoredSession,
  StoreUnavailableError,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';
import type { Collection, Filter, MongoClient } from 'mongodb';
import { resolveConnection } from './connection.js';
import {
  compareAndSet,
  fromDocument,
  newDocument,
  type SessionDocument,
  updateFields,
} from './documents.js';
import { toStoreError } from './errors.js';
import { createSessionIndexes } from './indexes.js';
import { type CorruptReport, DEFAULT_MAX_DATA_BYTES, type MongoStoreOptions } from './options.js';

/** Corrupt-document reports, for APMs and loggers that subscribe without a store reference. */
export const mongoStoreChannel = diagnosticsChannel.channel('hallpass:mongodb');

const DEFAULT_PAGE_SIZE = 1000;
const DUPLICATE_KEY = 11000;

/**
 * A Store on MongoDB through the official driver. One document per session (see README for
 * the layout); a TTL index deletes expired documents and every read also filters on expiry,
 * because TTL deletion runs only about once a minute.
 */
export class MongoStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  /** The collection the sessions live in (for your own queries and administration). */
  readonly collection: Collection<SessionDocument>;
  readonly #ownedClient: MongoClient | undefined;
  readonly #maxDataBytes: number;
  readonly #clock: () => number;
  readonly #onCorrupt: ((report: CorruptReport) => void) | undefined;
  #indexes: Promise<void> | undefined;
  #closed = false;

  constructor(options: MongoStoreOptions) {
    const { collection, ownedClient } = resolveConnection(options);
    this.collection = collection;
    this.#ownedClient = ownedClient;
    this.#maxDataBytes = options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES;
    this.#onCorrupt = options.onCorrupt;
    this.#clock = resolveClock(options.clock);
    if (options.ensureIndexes === false) this.#indexes = Promise.resolve();
  }

  /**
   * Creates the TTL and user indexes now (otherwise the first operation does). Call it at
   * start-up to learn about a bad connection or a conflicting index before the first request.
   */
  async ensureIndexes(): Promise<void> {
    this.#indexes ??= createSessionIndexes(this.collection).catch((error: unknown) => {
      // Let the next call try again: the server may just not be up yet.
      this.#indexes = undefined;
      throw toStoreError(error, undefined);
    });
    return this.#indexes;
  }

  async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidId(id);
    const document = await this.#run(signal, () =>
      this.collection.findOne(this.#live({ _id: id }), withSignal(signal)),
    );
    return document ? this.#read(document) : null;
  }

  async create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidId(id);
    assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
    if (record.expiresAt <= this.#clock()) {
      // Nothing to persist; still report a live session that holds the id.
      const existing = await this.find(id, options);
      return existing ? { ok: false, reason: 'exists' } : { ok: true, version: 1 };
    }
    // One atomic write: replaces a document that is expired (or not a live session) but not
    // yet removed by TTL, inserts if there is none, and hits the _id unique index if a live
    // session holds the id.
    const created = await this.#run(signal, async () => {
      try {
        await this.collection.replaceOne(
          { _id: id, expiresAt: { $not: { $gt: new Date(this.#clock()) } } },
          newDocument(record),
          { upsert: true },
        );
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    });
    if (!created) return { ok: false, reason: 'exists' };
    return { ok: true, version: 1 };
  }

  async update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidId(id);
    assertValidRecord(changes, { maxDataBytes: this.#maxDataBytes });
    const expected = options?.expectedVersion;
    if (expected !== undefined && !Number.isFinite(expected)) {
      throw new InvalidInputError('expectedVersion must be a finite number');
    }
    const removing = changes.expiresAt <= this.#clock();

    if (expected === undefined) {
      // Without compare-and-set the new version comes back from the same atomic write.
      const filter = this.#live({ _id: id });
      const document = await this.#run(signal, () =>
        removing
          ? this.collection.findOneAndDelete(filter, { projection: { version: 1 } })
          : this.collection.findOneAndUpdate(
              filter,
              { $set: updateFields(changes), $inc: { version: 1 } },
              { projection: { version: 1 }, returnDocument: 'before' },
            ),
      );
      if (!document) return { ok: false, reason: 'missing' };
      const previous = document.version;
      // A non-numeric version is only seen here on a removal (an update's $inc refuses it with
      // CorruptDataError): the corrupt session is gone either way, so report the removal.
      const valid = typeof previous === 'number' && Number.isFinite(previous);
      return { ok: true, version: valid ? previous + 1 : 1 };
    }

    if (removing) {
      const deleted = await this.#run(signal, () =>
        this.collection.deleteOne(this.#live({ _id: id, version: expected })),
      );
      if (deleted.deletedCount > 0) return { ok: true, version: expected + 1 };
      return { ok: false, reason: (await this.find(id, options)) ? 'conflict' : 'missing' };
    }
    // One write answers both questions: the filter finds the live session (matchedCount), and
    // the pipeline changes it only if the version still matches (modifiedCount), so a lost
    // race costs no extra round trip.
    const result = await this.#run(signal, () =>
      this.collection.updateOne(this.#live({ _id: id }), compareAndSet(expected, changes)),
    );
    if (result.matchedCount === 0) return { ok: false, reason: 'missing' };
    if (result.modifiedCount === 0) return { ok: false, reason: 'conflict' };
    return { ok: true, version: expected + 1 };
  }

  async touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidId(id);
    if (!Number.isFinite(expiresAt) || !Number.isFinite(lastSeenAt)) {
      throw new InvalidInputError(
        'expiresAt and lastSeenAt must be finite epoch-millisecond numbers',
      );
    }
    const filter = this.#live({ _id: id });
    return this.#run(signal, async () => {
      if (expiresAt <= this.#clock()) {
        return (await this.collection.deleteOne(filter)).deletedCount > 0;
      }
      const result = await this.collection.updateOne(filter, {
        $set: { expiresAt: new Date(expiresAt), lastSeenAt: new Date(lastSeenAt) },
      });
      return result.matchedCount > 0;
    });
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidId(id);
    await this.#run(signal, () => this.collection.deleteOne({ _id: id }));
  }

  /**
   * Keyset pagination on `_id`: each page is one query for ids after the last one seen, so a
   * session present for the whole iteration is yielded exactly once whatever else changes.
   */
  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const signal = options?.signal;
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new InvalidInputError('pageSize must be a positive integer');
    }
    let after: string | undefined;
    while (true) {
      throwIfAborted(signal);
      const filter: Filter<SessionDocument> = after === undefined ? {} : { _id: { $gt: after } };
      const page = await this.#run(signal, () =>
        this.collection
          .find(this.#live(filter), withSignal(signal))
          .sort({ _id: 1 })
          .limit(pageSize)
          .batchSize(pageSize)
          .toArray(),
      );
      for (const document of page) {
        const session = this.#read(document);
        if (session) yield session;
      }
      const last = page.at(-1);
      if (page.length < pageSize || !last) return;
      after = last._id;
    }
  }

  async listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidUserId(userId);
    const documents = await this.#run(signal, () =>
      this.collection
        .find(this.#live({ userId }), withSignal(signal))
        .sort({ createdAt: 1, _id: 1 })
        .toArray(),
    );
    return documents.flatMap((document) => this.#read(document) ?? []);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    const signal = options?.signal;
    throwIfAborted(signal);
    assertValidUserId(userId);
    const except = options?.except;
    if (except !== undefined) assertValidId(except);
    const filter = this.#live(except === undefined ? { userId } : { userId, _id: { $ne: except } });
    const result = await this.#run(signal, () => this.collection.deleteMany(filter));
    return result.deletedCount;
  }

  /** Closes the client the store created from `url`; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ownedClient?.close();
  }

  /** Runs one driver call after the indexes exist, mapping every failure to a StoreError. */
  async #run<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('MongoStore is closed');
    try {
      await this.ensureIndexes();
      throwIfAborted(signal);
      return await call();
    } catch (error) {
      throw toStoreError(error, signal);
    }
  }

  #read(document: Record<string, unknown>): StoredSession | null {
    const decoded = fromDocument(document);
    if (decoded.ok) return decoded.session;
    const report: CorruptReport = { id: String(document._id), reason: decoded.reason };
    if (mongoStoreChannel.hasSubscribers) {
      mongoStoreChannel.publish({ type: 'corrupt', ...report });
    }
    try {
      this.#onCorrupt?.(report);
    } catch {
      // A broken reporter must not turn a readable "no session" into a failed request.
    }
    return null;
  }

  /** Adds the expiry filter every read needs: TTL deletion lags by up to a minute or more. */
  #live(filter: Filter<SessionDocument>): Filter<SessionDocument> {
    return { ...filter, expiresAt: { $gt: new Date(this.#clock()) } };
  }
}

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
