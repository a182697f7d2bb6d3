import { randomInt } from 'node:crypto';
import {
  ConfigurationError,
  CorruptDataError,
  StoreConflictError,
  throwIfAborted,
} from '@hallpass/core';
import {
  BaseStore,
  type CommonStoreOptions,
  type CreateResult,
  corruptDataChannel,
  type RowRecord,
  type RowUpdate,
  type SessionRow,
  type StoreCall,
  type CorruptDataEvent as StoreCorruptDataEvent,
  type UpdateResult,
  type WriteCall,
} from '@hallpass/core/store';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import { createCluster, createRedis } from './client.js';
import { adaptClient, type ClientAdapter, type RedisClient } from './clients/index.js';
import { ioredisAdapter } from './clients/ioredis.js';
import { classifyRedisError, isWrongType, WRONG_TYPE } from './errors.js';
import { isId, KeySpace } from './keys.js';
import { decodeSession, doubleBytes, encodeSession } from './layout.js';
import { runScript } from './run-script.js';
import { CLAIM, DELETE, REVOKE, TOUCH, UPDATE } from './scripts.js';
import { indexBound, UserIndex } from './user-index.js';

export interface RedisStoreOptions extends CommonStoreOptions {
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
  /**
   * The clock every expiry decision reads (passed to the Lua scripts as "now"), in epoch
   * milliseconds. Default `Date.now`. Redis itself still evicts keys at `expiresAt` by its own
   * clock (PXAT), so a controllable clock must never run behind real time.
   */
  clock?: (() => number) | undefined;
}

/** @deprecated The event every store reports (`{ store, id, error }`); the key is `store.keys.session(id)`. */
export type CorruptDataEvent = StoreCorruptDataEvent;

/** @deprecated Subscribe to `hallpass:store:corrupt-data` (`corruptDataChannel`), every store's channel. */
export const redisStoreChannel = corruptDataChannel;

/** Store calls kept in flight at once by listings and deleteByUser on a user with many sessions. */
const FAN_OUT = 200;
const EXISTS: CreateResult = { ok: false, reason: 'exists' };
type UpdateReply = [number, number?, Buffer?];

/**
 * A Store on Redis or Redis Cluster. Each session is one string key expiring by the server
 * (PXAT); create is SET NX, update and touch are single-key Lua scripts (one round trip each);
 * each user has a sorted-set index. See the README for what is atomic and what is cleaned up
 * eventually. Redis expires sessions itself: there is no cleanup to run.
 */
export class RedisStore extends BaseStore {
  /** The client in use (the one passed in, or the ioredis client the store created). */
  readonly client: RedisClient;
  readonly keys: KeySpace;
  /** The commands the store sends, over whichever client that is. */
  readonly #redis: ClientAdapter;
  readonly #index: UserIndex;
  readonly #ownsClient: boolean;
  /** The last connection error of a client the store created, until it is ready again. */
  #clientError: unknown;

  constructor(options: RedisStoreOptions = {}) {
    const sources = [options.client, options.cluster, options.url ?? options.redis];
    if (sources.filter((source) => source !== undefined).length > 1) {
      throw new ConfigurationError('give one of `client`, `cluster` or `url`/`redis`, not several');
    }
    const keys = new KeySpace(options.prefix);
    const given = options.client && adaptClient(options.client);
    super({ ...options, name: 'redis', classifyError: classifyRedisError });
    this.keys = keys;
    if (options.client && given) {
      this.#redis = given;
      this.client = options.client;
      this.#ownsClient = false;
    } else {
      const created = options.cluster
        ? createCluster(options.cluster.nodes, options.cluster.options)
        : createRedis(options.url, options.redis);
      // Without a listener ioredis prints every reconnect failure; the store reports outages
      // as StoreUnavailableError on the calls that hit them instead.
      created.on('error', (error: unknown) => {
        this.#clientError = error;
      });
      created.on('ready', () => {
        this.#clientError = undefined;
      });
      this.#redis = ioredisAdapter(created);
      this.client = created;
      this.#ownsClient = true;
    }
    this.#index = new UserIndex(this.#redis, this.keys);
  }

  protected async readRow(id: string): Promise<SessionRow | null> {
    this.#assertConnected();
    const value = await this.#redis.get(this.keys.session(id));
    return value && decodeSession(id, value);
  }

  protected async insertRow(id: string, record: RowRecord, call: StoreCall): Promise<CreateResult> {
    this.#assertConnected();
    const key = this.keys.session(id);
    const version = randomInt(1, 2 ** 47);
    const bound = record.userId === null ? 0 : indexBound(record.expiresAt, call.now);
    const value = encodeSession({ ...record, version, indexBound: bound });
    const pxat = String(Math.ceil(record.expiresAt));
    if (!(await this.#setIndexed(key, id, record.userId, bound, call.now, value, pxat))) {
      throwIfAborted(call.signal);
      const claimed = await runScript(this.#redis, CLAIM, key, [value, pxat, String(call.now)]);
      if (claimed !== 1) return EXISTS;
    }
    return { ok: true, version };
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
    pxat: string,
  ): Promise<boolean> {
    if (userId === null) return this.#redis.setNx(key, value, Number(pxat));
    // Queued in this order, so on one connection the index entry is written first.
    const index = this.#index.add(userId, id, bound, now);
    const set = this.#redis.setNx(key, value, Number(pxat));
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

  protected async updateRow(
    id: string,
    changes: RowUpdate,
    call: WriteCall,
  ): Promise<UpdateResult> {
    this.#assertConnected();
    const { userId } = changes;
    const bound = userId === null ? 0 : indexBound(changes.expiresAt, call.now);
    // Version and createdAt are placeholders: the script fills them in from the stored value.
    const value = encodeSession({ ...changes, version: 0, createdAt: 0, indexBound: bound });
    const pxat = String(Math.ceil(changes.expiresAt));
    // One round trip when the user and what its index covers stay as they are (the usual
    // update); otherwise the script answers 2, the index entry goes first, and it runs again.
    let indexed = false;
    let reply = await this.#update(id, value, call, pxat, indexed);
    if (reply[0] === 2 && userId !== null) {
      await this.#index.add(userId, id, bound, call.now);
      throwIfAborted(call.signal);
      indexed = true;
      reply = await this.#update(id, value, call, pxat, indexed);
    }
    const result = this.#updateResult(id, reply, call);
    if (!result.ok) {
      // Typically a slow request finishing after a logout or revoke-all: take back the index
      // entry added above, so revoked users' indexes do not fill up again.
      if (indexed && reply[0] === 0 && userId !== null) await this.#index.remove(userId, id);
      return result;
    }
    const before = reply[2] ? reply[2].toString('utf8') : null;
    if (before !== userId) {
      await this.#index.afterMove(id, before, userId, bound, call.now, (sid) => this.#get(sid));
    }
    return result;
  }

  protected async expireRow(id: string, call: WriteCall): Promise<UpdateResult> {
    this.#assertConnected();
    const reply = await this.#update(id, '', call, '', false);
    const result = this.#updateResult(id, reply, call);
    if (result.ok && reply[2]) await this.#index.remove(reply[2].toString('utf8'), id);
    return result;
  }

  /** The UPDATE script: rewrites the session, or removes it when `pxat` is ''. */
  async #update(
    id: string,
    value: Buffer | '',
    call: WriteCall,
    pxat: string,
    indexed: boolean,
  ): Promise<UpdateReply> {
    const expected = call.expectedVersion === undefined ? '' : String(call.expectedVersion);
    const args = [value, expected, pxat, String(call.now), indexed ? '1' : ''];
    return (await runScript(this.#redis, UPDATE, this.keys.session(id), args)) as UpdateReply;
  }

  #updateResult(id: string, [code, version]: UpdateReply, call: StoreCall): UpdateResult {
    if (code === 1) return { ok: true, version: version as number };
    if (code === -1) return { ok: false, reason: 'conflict' };
    if (code === -2) this.#reportUnreadable(id, call);
    else if (code !== 0) throw new Error(`unexpected update script reply ${code}`);
    return { ok: false, reason: 'missing' };
  }

  protected override async touchRow(
    id: string,
    expiresAt: number,
    lastSeenAt: number,
    call: StoreCall,
  ): Promise<boolean> {
    this.#assertConnected();
    const key = this.keys.session(id);
    const args: Array<string | Buffer> = [
      doubleBytes(expiresAt),
      doubleBytes(lastSeenAt),
      String(Math.ceil(expiresAt)),
      String(call.now),
      '',
      '',
    ];
    // Usually one round trip. Only when a signed-in session is extended past what its user
    // index covers does the index get raised first; a concurrent change of user repeats that.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [code, user] = (await runScript(this.#redis, TOUCH, key, args)) as [number, Buffer?];
      if (code === 1) return true;
      if (code === -2) this.#reportUnreadable(id, call);
      if (code !== 2 || !user) return false;
      const userId = user.toString('utf8');
      const bound = indexBound(expiresAt, call.now);
      await this.#index.add(userId, id, bound, call.now);
      throwIfAborted(call.signal);
      args[4] = userId;
      args[5] = doubleBytes(bound);
    }
    throw new StoreConflictError(`redis touch: session ${id} changed user during every attempt`);
  }

  protected async deleteRow(id: string): Promise<void> {
    this.#assertConnected();
    const user = (await runScript(this.#redis, DELETE, this.keys.session(id), [])) as Buffer | null;
    if (user) await this.#index.remove(user.toString('utf8'), id);
  }

  /** SCAN over every master; the kit drops the ids SCAN returns twice (a resize mid-scan). */
  protected override async *rowPages(pageSize: number): AsyncIterable<SessionRow[]> {
    this.#assertConnected();
    for (const node of await this.#redis.masters()) {
      let cursor = '0';
      do {
        let keys: string[];
        [cursor, keys] = await node.scan(cursor, this.keys.sessionPattern, pageSize);
        const ids = keys.map((key) => this.keys.idOf(key) ?? '').filter(isId);
        yield await this.#rows(ids);
      } while (cursor !== '0');
    }
  }

  /** Index entries of sessions that moved to another user are read too; the kit drops them. */
  protected override async userRows(userId: string, call: StoreCall): Promise<SessionRow[]> {
    this.#assertConnected();
    return this.#rows(await this.#index.read(userId, call.now));
  }

  protected override async deleteUserRows(
    userId: string,
    except: string | undefined,
    call: StoreCall,
  ): Promise<number> {
    this.#assertConnected();
    const ids = (await this.#index.read(userId, call.now)).filter((id) => id !== except);
    throwIfAborted(call.signal);
    const codes = (await mapChunked(ids, (id) =>
      runScript(this.#redis, REVOKE, this.keys.session(id), [userId, String(call.now)]),
    )) as number[];
    // Only entries whose session this call deleted leave the index. An entry without a session
    // may belong to a sign-in still in flight (its index entry is written first): it stays,
    // so the session it is about to write remains revocable.
    const removed = ids.filter((_, i) => codes[i] === 1 || codes[i] === 0);
    if (removed.length > 0) await this.#redis.zrem(this.keys.user(userId), removed);
    return codes.filter((code) => code === 1).length;
  }

  /** Closes the client if the store created it; a client passed in is left open. */
  protected override async closeBackend(): Promise<void> {
    if (this.#ownsClient) await this.#redis.close();
  }

  /**
   * Fails fast while the client is between reconnect attempts: queueing the call would only
   * make the request wait for the next attempt (up to the capped backoff) and fail anyway.
   * Calls made while the first connection is being set up are queued as usual. The error
   * carries the last connection error of a client the store created (ECONNREFUSED...) as its
   * cause; a client passed in is the application's, and the store adds no listener to it.
   */
  #assertConnected(): void {
    const reason = this.#redis.unavailable();
    // Not a StoreError: the kit maps it like any driver error, so the message names the call
    // (`redis find: not connected …`) and the chain of causes reaches the connection error.
    if (reason !== undefined) throw new Error(reason, { cause: this.#clientError });
  }

  /** The sessions under the ids, decoded; unreadable values are reported and left out. */
  async #rows(ids: readonly string[]): Promise<SessionRow[]> {
    const values = await mapChunked(ids, (id) => this.#get(id));
    return ids.flatMap((id, i) => {
      const value = values[i];
      if (!value) return [];
      try {
        return [decodeSession(id, value)];
      } catch (error) {
        if (!(error instanceof CorruptDataError)) throw error;
        this.reportCorruptData(id, error);
        return [];
      }
    });
  }

  /** The raw value of a session key; a key of the wrong Redis type is reported and reads as none. */
  async #get(id: string): Promise<Buffer | null> {
    try {
      return await this.#redis.get(this.keys.session(id));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      const message = `redis session ${id}: ${WRONG_TYPE}`;
      this.reportCorruptData(id, new CorruptDataError(message, { cause: error }));
      return null;
    }
  }

  /** A write script found a value it cannot read: it changed nothing and answers "missing". */
  #reportUnreadable(id: string, call: StoreCall): void {
    const error = new CorruptDataError(
      `redis session ${id}: unreadable value on ${call.operation}`,
    );
    this.reportCorruptData(id, error);
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
