import { randomInt } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  abortable,
  assertValidId,
  assertValidRecord,
  assertValidUserId,
  type CallOptions,
  ConfigurationError,
  CorruptDataError,
  type CreateResult,
  type DeleteByUserOptions,
  InvalidInputError,
  type IterableStore,
  type IterateOptions,
  resolveClock,
  type SessionRecord,
  type SessionUpdate,
  type StoreCapabilities,
  StoreConflictError,
  type StoredSession,
  StoreUnavailableError,
  type TouchableStore,
  throwIfAborted,
  type UpdateOptions,
  type UpdateResult,
  type UserIndexStore,
} from '@hallpass/core';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import { createCluster, createRedis } from './client.js';
import {
  adaptClient,
  type ClientAdapter,
  type RedisClient,
  type ScanNode,
} from './clients/index.js';
import { ioredisAdapter } from './clients/ioredis.js';
import { isWrongType, toStoreError } from './errors.js';
import { isId, KeySpace } from './keys.js';
import { decodeSession, doubleBytes, encodeSession, HEADER_BYTES, headerExpiry } from './layout.js';
import { runScript } from './run-script.js';
import { CLAIM, DELETE, REVOKE, TOUCH, UPDATE } from './scripts.js';
import { indexBound, UserIndex } from './user-index.js';

export interface RedisStoreOptions {
  /**
   * A client to use as is: an ioredis `Redis` or `Cluster`, or a connected node-redis (`redis`
   * v5+) client from `createClient()` or `createCluster()`. The store never closes it. Do not
   * set ioredis's `keyPrefix` on it: use `prefix` instead (SCAN patterns do not see keyPrefix).
   */
  client?: RedisClient | undefined;
  /** A `redis://` / `rediss://` URL: the store creates (and closes) a standalone client. */
  url?: string | undefined;
  /** ioredis options for the client the store creates, over the defaults (see README). */
  redis?: RedisOptions | undefined;
  /** Cluster seed nodes and options: the store creates (and closes) a `Cluster` client. */
  cluster?: { nodes: ClusterNode[]; options?: ClusterOptions } | undefined;
  /** Namespace of every key: `<prefix>:session:<id>` and `<prefix>:user:<userId>`. Default `hallpass`. */
  prefix?: string | undefined;
  /** Largest accepted session data in bytes; larger writes throw RecordTooLargeError. */
  maxDataBytes?: number | undefined;
  /** Called when a stored value cannot be read; the session then reads as missing. */
  onCorruptData?: ((event: CorruptDataEvent) => void) | undefined;
  /**
   * The clock every expiry decision reads (passed to the Lua scripts as "now"), in epoch
   * milliseconds. Default `Date.now`. Redis itself still evicts keys at `expiresAt` by its own
   * clock (PXAT), so a controllable clock must never run behind real time.
   */
  clock?: (() => number) | undefined;
}

export interface CorruptDataEvent {
  id: string;
  key: string;
  error: CorruptDataError;
}

/** Corrupt values are also published here, for loggers that have no store reference. */
export const redisStoreChannel = diagnosticsChannel.channel('hallpass:store:redis');

const DEFAULT_PAGE_SIZE = 1000;
/** Store calls kept in flight at once by listByUser/deleteByUser on a user with many sessions. */
const FAN_OUT = 200;
/** The latest instant a JavaScript Date can hold: later expiries cannot be a real session. */
const MAX_TIME = 8.64e15;

/**
 * A Store on Redis or Redis Cluster. Each session is one string key expiring by the server
 * (PXAT); create is SET NX, update and touch are single-key Lua scripts; each user has a
 * sorted-set index. See the README for what is atomic and what is cleaned up eventually.
 */
export class RedisStore implements IterableStore, UserIndexStore, TouchableStore {
  readonly capabilities: StoreCapabilities = {
    versioned: true,
    iterate: true,
    userIndex: true,
    touch: true,
  };

  /** The client in use (the one passed in, or the ioredis client the store created). */
  readonly client: RedisClient;
  readonly keys: KeySpace;
  /** The commands the store sends, over whichever client that is. */
  readonly #redis: ClientAdapter;
  readonly #index: UserIndex;
  readonly #ownsClient: boolean;
  readonly #maxDataBytes: number | undefined;
  readonly #onCorruptData: ((event: CorruptDataEvent) => void) | undefined;
  readonly #clock: () => number;
  #closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const sources = [options.client, options.cluster, options.url ?? options.redis].filter(
      (source) => source !== undefined,
    );
    if (sources.length > 1) {
      throw new ConfigurationError('give one of `client`, `cluster` or `url`/`redis`, not several');
    }
    this.keys = new KeySpace(options.prefix);
    this.#maxDataBytes = options.maxDataBytes;
    this.#onCorruptData = options.onCorruptData;
    this.#clock = resolveClock(options.clock);
    if (options.client) {
      this.#redis = adaptClient(options.client);
      this.client = options.client;
      this.#ownsClient = false;
    } else {
      const created = options.cluster
        ? createCluster(options.cluster.nodes, options.cluster.options)
        : createRedis(options.url, options.redis);
      // Without a listener ioredis prints every reconnect failure; the store reports outages
      // as StoreUnavailableError on the calls that hit them instead.
      created.on('error', () => {});
      this.#redis = ioredisAdapter(created);
      this.client = created;
      this.#ownsClient = true;
    }
    this.#index = new UserIndex(this.#redis, this.keys);
  }

  find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    return abortable(this.#doFind(id, options), options?.signal);
  }

  async #doFind(id: string, options?: CallOptions): Promise<StoredSession | null> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#assertConnected();
    let value: Buffer | null;
    try {
      value = await this.#get(id);
    } catch (error) {
      throw toStoreError(error);
    }
    throwIfAborted(options?.signal);
    return value ? this.#read(id, value, this.#clock()) : null;
  }

  create(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    return abortable(this.#doCreate(id, record, options), options?.signal);
  }

  async #doCreate(id: string, record: SessionRecord, options?: CallOptions): Promise<CreateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#assertRecord(record);
    this.#assertConnected();
    const key = this.keys.session(id);
    const now = this.#clock();
    const created = { ok: true, version: randomInt(1, 2 ** 47) } as const;
    try {
      if (record.expiresAt <= now) {
        // Nothing is written, but a live session under the id still means `exists`.
        const head = await this.#redis
          .getrange(key, 0, HEADER_BYTES - 1)
          .catch((error: unknown) => {
            if (isWrongType(error)) return null; // not a session: nothing live under the id
            throw error;
          });
        const expiry = headerExpiry(head);
        return expiry !== undefined && expiry > now ? { ok: false, reason: 'exists' } : created;
      }
      const bound = record.userId === null ? 0 : indexBound(record.expiresAt, now);
      const value = encodeSession({ ...record, version: created.version, indexBound: bound });
      const pxat = Math.ceil(record.expiresAt);
      if (!(await this.#setIndexed(key, id, record.userId, bound, now, value, pxat))) {
        throwIfAborted(options?.signal);
        const claimed = await runScript(this.#redis, CLAIM, key, [
          value,
          String(pxat),
          String(now),
        ]);
        return claimed === 1 ? created : { ok: false, reason: 'exists' };
      }
      return created;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * SET NX of a new session and, when signed in, its user index entry, sent together: one
   * round trip (pipelined on one connection, in parallel on two cluster nodes). The index
   * entry must never be missing for a live session revoke-all should find, so if it fails the
   * session just written is deleted again before the error surfaces; it was never handed out.
   * Answers whether SET NX wrote (false: the key exists, see CLAIM).
   */
  async #setIndexed(
    key: string,
    id: string,
    userId: string | null,
    bound: number,
    now: number,
    value: Buffer,
    pxat: number,
  ): Promise<boolean> {
    if (userId === null) return this.#redis.setNx(key, value, pxat);
    // Queued in this order, so on one connection the index entry is written first.
    const index = this.#index.add(userId, id, bound, now);
    const set = this.#redis.setNx(key, value, pxat);
    const [indexed, written] = await Promise.allSettled([index, set]);
    if (indexed.status === 'rejected') {
      if (written.status === 'fulfilled' && written.value) {
        await runScript(this.#redis, DELETE, key, []).catch(() => {});
      }
      throw indexed.reason;
    }
    if (written.status === 'rejected') throw written.reason;
    return written.value;
  }

  update(id: string, changes: SessionUpdate, options?: UpdateOptions): Promise<UpdateResult> {
    return abortable(this.#doUpdate(id, changes, options), options?.signal);
  }

  async #doUpdate(
    id: string,
    changes: SessionUpdate,
    options?: UpdateOptions,
  ): Promise<UpdateResult> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#assertRecord(changes);
    this.#assertConnected();
    const key = this.keys.session(id);
    const now = this.#clock();
    const write = changes.expiresAt > now;
    const indexed = write && changes.userId !== null;
    const bound = indexed ? indexBound(changes.expiresAt, now) : 0;
    // Version and createdAt are placeholders: the script fills them in from the stored value.
    const value = encodeSession({ ...changes, version: 0, createdAt: 0, indexBound: bound });
    const args = [
      value,
      options?.expectedVersion === undefined ? '' : String(options.expectedVersion),
      write ? String(Math.ceil(changes.expiresAt)) : '',
      String(now),
      '',
    ];
    try {
      // One round trip when the user and what its index covers stay as they are (the usual
      // update); otherwise the script answers 2, the index entry goes first, and it runs again.
      let reply = (await runScript(this.#redis, UPDATE, key, args)) as [number, number?, Buffer?];
      if (reply[0] === 2 && changes.userId !== null) {
        await this.#index.add(changes.userId, id, bound, now);
        throwIfAborted(options?.signal);
        args[4] = '1';
        reply = (await runScript(this.#redis, UPDATE, key, args)) as [number, number?, Buffer?];
      }
      const [code, version, previous] = reply;
      if (code === -2) {
        this.#reportCorrupt(id, new CorruptDataError(`session ${id}: unreadable value on update`));
        return { ok: false, reason: 'missing' };
      }
      if (code === 0) {
        // Typically a slow request finishing after a logout or revoke-all: take back the index
        // entry added above, so revoked users' indexes do not fill up again.
        if (args[4] === '1' && changes.userId !== null) {
          await this.#index.remove(changes.userId, id);
        }
        return { ok: false, reason: 'missing' };
      }
      if (code === -1) return { ok: false, reason: 'conflict' };
      if (code !== 1) throw new Error(`unexpected update script reply ${code}`);
      const before = previous ? previous.toString('utf8') : null;
      if (!write) {
        if (before !== null) await this.#index.remove(before, id);
      } else if (before !== changes.userId) {
        await this.#index.afterMove(id, before, changes.userId, bound, now, (sid) =>
          this.#get(sid),
        );
      }
      return { ok: true, version: version as number };
    } catch (error) {
      throw toStoreError(error);
    }
  }

  touch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    return abortable(this.#doTouch(id, expiresAt, lastSeenAt, options), options?.signal);
  }

  async #doTouch(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    options?: CallOptions,
  ): Promise<boolean> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    assertTime(expiresAt, 'expiresAt');
    assertTime(lastSeenAt, 'lastSeenAt');
    this.#assertConnected();
    const key = this.keys.session(id);
    const now = this.#clock();
    const args: Array<string | Buffer> = [
      doubleBytes(expiresAt),
      doubleBytes(lastSeenAt),
      expiresAt > now ? String(Math.ceil(expiresAt)) : '',
      String(now),
      '',
      '',
    ];
    try {
      // Usually one round trip. Only when a signed-in session is extended past what its user
      // index covers does the index get raised first; a concurrent change of user repeats that.
      for (let attempt = 0; attempt < 3; attempt++) {
        const [code, user] = (await runScript(this.#redis, TOUCH, key, args)) as [number, Buffer?];
        if (code === 1) return true;
        if (code === 0) return false;
        if (code === -2) {
          this.#reportCorrupt(id, new CorruptDataError(`session ${id}: unreadable value on touch`));
          return false;
        }
        if (code === 3) {
          if (user) await this.#index.remove(user.toString('utf8'), id);
          return true;
        }
        const userId = (user as Buffer).toString('utf8');
        const bound = indexBound(expiresAt, now);
        await this.#index.add(userId, id, bound, now);
        throwIfAborted(options?.signal);
        args[4] = userId;
        args[5] = doubleBytes(bound);
      }
    } catch (error) {
      throw toStoreError(error);
    }
    throw new StoreConflictError(`session ${id} changed user during every touch attempt`);
  }

  delete(id: string, options?: CallOptions): Promise<void> {
    return abortable(this.#doDelete(id, options), options?.signal);
  }

  async #doDelete(id: string, options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal);
    assertValidId(id);
    this.#assertConnected();
    try {
      const user = (await runScript(
        this.#redis,
        DELETE,
        this.keys.session(id),
        [],
      )) as Buffer | null;
      if (user) await this.#index.remove(user.toString('utf8'), id);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
    const signal = options?.signal;
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new InvalidInputError('pageSize must be a positive integer');
    }
    throwIfAborted(signal);
    this.#assertConnected();
    // SCAN returns a key more than once only if the keyspace is resized mid-scan. The ids already
    // yielded are remembered (ids only, about 100 bytes each, never session data) to stay exact.
    const seen = new Set<string>();
    for (const node of await this.#masters()) {
      let cursor = '0';
      do {
        throwIfAborted(signal);
        let keys: string[];
        let values: Array<Buffer | null>;
        try {
          [cursor, keys] = await node.scan(cursor, this.keys.sessionPattern, pageSize);
          values = await Promise.all(
            keys.map((key) => {
              const id = this.keys.idOf(key);
              return id === undefined || !isId(id) ? null : this.#get(id);
            }),
          );
        } catch (error) {
          throw toStoreError(error);
        }
        const now = this.#clock();
        for (const [i, key] of keys.entries()) {
          const id = this.keys.idOf(key);
          const value = values[i];
          if (id === undefined || !isId(id) || !value || seen.has(id)) continue;
          const session = this.#read(id, value, now);
          if (!session) continue;
          seen.add(id);
          throwIfAborted(signal);
          yield session;
        }
      } while (cursor !== '0');
    }
  }

  listByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    return abortable(this.#doListByUser(userId, options), options?.signal);
  }

  async #doListByUser(userId: string, options?: CallOptions): Promise<StoredSession[]> {
    throwIfAborted(options?.signal);
    assertValidUserId(userId);
    this.#assertConnected();
    try {
      const now = this.#clock();
      const ids = await this.#index.read(userId, now);
      const values = await mapChunked(ids, (id) => this.#get(id));
      const sessions: StoredSession[] = [];
      for (const [i, id] of ids.entries()) {
        const value = values[i];
        const session = value ? this.#read(id, value, now) : null;
        // Entries of sessions that moved to another user are skipped, never trusted.
        if (session?.userId === userId) sessions.push(session);
      }
      return sessions.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    } catch (error) {
      throw toStoreError(error);
    }
  }

  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return abortable(this.#doDeleteByUser(userId, options), options?.signal);
  }

  async #doDeleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    throwIfAborted(options?.signal);
    assertValidUserId(userId);
    this.#assertConnected();
    try {
      const now = this.#clock();
      const ids = (await this.#index.read(userId, now)).filter((id) => id !== options?.except);
      throwIfAborted(options?.signal);
      const codes = (await mapChunked(ids, (id) =>
        runScript(this.#redis, REVOKE, this.keys.session(id), [userId, String(now)]),
      )) as number[];
      // Only entries whose session this call deleted leave the index. An entry without a session
      // may belong to a sign-in still in flight (its index entry is written first): it stays,
      // so the session it is about to write remains revocable.
      const removed = ids.filter((_, i) => codes[i] === 1 || codes[i] === 0);
      if (removed.length > 0) await this.#redis.zrem(this.keys.user(userId), removed);
      return codes.filter((code) => code === 1).length;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Closes the client if the store created it; a client passed in is left open. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsClient) await this.#redis.close();
  }

  /**
   * Fails fast while the client is between reconnect attempts: queueing the call would only
   * make the request wait for the next attempt (up to the capped backoff) and fail anyway.
   * Calls made while the first connection is being set up are queued as usual.
   */
  #assertConnected(): void {
    const reason = this.#redis.unavailable();
    if (reason !== undefined) throw new StoreUnavailableError(`redis: ${reason}`);
  }

  #assertRecord(record: SessionRecord | SessionUpdate): void {
    assertValidRecord(record, { maxDataBytes: this.#maxDataBytes });
    assertTime(record.expiresAt, 'expiresAt');
  }

  /** The raw value of a session key; a key of the wrong Redis type is reported and reads as none. */
  async #get(id: string): Promise<Buffer | null> {
    try {
      return await this.#redis.get(this.keys.session(id));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      this.#reportCorrupt(id, toStoreError(error) as CorruptDataError);
      return null;
    }
  }

  /** Decodes a value; a corrupt one is reported and reads as missing, like an expired one. */
  #read(id: string, value: Buffer, now: number): StoredSession | null {
    try {
      const { indexBound: _bound, ...session } = decodeSession(id, value);
      return session.expiresAt > now ? session : null;
    } catch (error) {
      this.#reportCorrupt(id, error as CorruptDataError);
      return null;
    }
  }

  #reportCorrupt(id: string, error: CorruptDataError): void {
    const event: CorruptDataEvent = { id, key: this.keys.session(id), error };
    if (redisStoreChannel.hasSubscribers)
      redisStoreChannel.publish({ type: 'corrupt-data', ...event });
    try {
      this.#onCorruptData?.(event);
    } catch (listenerError) {
      queueMicrotask(() => {
        // A broken logger must not fail the read that found the corrupt value.
        process.emitWarning(`hallpass redis onCorruptData threw: ${String(listenerError)}`);
      });
    }
  }

  /** Every node that holds a share of the keyspace: the one server, or every cluster master. */
  async #masters(): Promise<ScanNode[]> {
    try {
      return await this.#redis.masters();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

function assertTime(value: number, name: string): void {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_TIME) {
    throw new InvalidInputError(`${name} must be an epoch-millisecond time a Date can hold`);
  }
}

/** Runs `task` over `items` with at most FAN_OUT calls in flight, keeping the order of results. */
async function mapChunked<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += FAN_OUT) {
    results.push(...(await Promise.all(items.slice(start, start + FAN_OUT).map(task))));
  }
  return results;
}
