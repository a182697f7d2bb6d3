import type {
  CallOptions,
  CreateResult,
  DeleteByUserOptions,
  IterateOptions,
  SessionRecord,
  StoredSession,
} from '@hallpass/core';
import { nextTurn, ReferenceStore, type Row } from '../support/reference-store.js';
import { EDGE_MUTANTS } from './catalog-edges.js';
import { ERROR_MUTANTS } from './catalog-errors.js';
import { KIT_RULE_MUTANTS } from './catalog-kit-rules.js';
import { OPTION_MUTANTS } from './catalog-options.js';
import { type Mutant, mutant, overriding } from './mutant.js';
import { answeringUpdate, rewritingUpdate, spoilingUpdate } from './update-mutants.js';

export type { Mutant };

export const MUTANTS: Mutant[] = [
  {
    name: 'judges expiry by the real clock, not the clock it was given',
    create: () => new ReferenceStore(),
    caughtBy: [
      'expiry > find returns null once expiresAt has passed',
      'touch > touch of an expired session returns false',
      'SessionManager over HTTP > with an idle timeout',
    ],
  },
  answeringUpdate(
    'update recreates a missing session',
    ({ id, changes }, store) => {
      if (!store.live(id)) store.write(id, { ...changes, createdAt: store.clock(), version: 1 });
      return undefined;
    },
    [
      'create and update > update of a never-created id returns missing',
      'create and update > update of a deleted session returns missing',
      'SessionManager over HTTP > a session destroyed during a slow request stays destroyed',
    ],
  ),
  overriding(
    'find returns expired sessions until a cleanup runs',
    class extends ReferenceStore {
      override live(id: string): Row | undefined {
        return this.rows.get(`s:${id}`);
      }
    },
    [
      'expiry > find returns null once expiresAt has passed',
      'per-user index > an expired session is no longer listed',
      'iteration > yields each of',
    ],
  ),
  overriding(
    'create overwrites a live session',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord): Promise<CreateResult> {
        this.write(id, { ...record, version: 1 });
        return { ok: true, version: 1 };
      }
    },
    [
      'create and update > create on a live id returns exists',
      'create and update > concurrent creates of one id: exactly one wins',
    ],
  ),
  overriding(
    'an expired row still blocks create of its id',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord, options?: CallOptions) {
        if (this.rows.has(`s:${id}`)) return { ok: false as const, reason: 'exists' as const };
        return super.create(id, record, options);
      }
    },
    ['create and update > create on an id whose session expired succeeds'],
  ),
  rewritingUpdate(
    'declares versioned but ignores expectedVersion',
    (call) => ({ ...call, options: { ...call.options, expectedVersion: undefined } }),
    [
      'versioned update > update with a stale expectedVersion returns conflict',
      'versioned update > parallel updates with the same expectedVersion: exactly one wins',
      'versioned update > concurrent read-modify-write loops retrying on conflict lose no update',
      'SessionManager over HTTP > concurrent requests changing different keys',
    ],
  ),
  spoilingUpdate(
    'update keeps the old version',
    (answer, { id, before }, store) => {
      const row = store.rows.get(`s:${id}`);
      if (!answer.ok || !row || !before) return undefined;
      row.version = before.version;
      return { ok: true, version: before.version };
    },
    [
      'versioned update > update returns the new version, and find returns it',
      'versioned update > every update produces a version not seen before',
    ],
  ),
  spoilingUpdate(
    'update resets createdAt',
    (_answer, { id, changes }, store) => {
      const row = store.rows.get(`s:${id}`);
      if (row) row.createdAt = changes.lastSeenAt;
      return undefined;
    },
    ['create and update > update replaces data, expiry, user and last-seen but keeps createdAt'],
  ),
  overriding(
    'keeps a reference to the written buffer',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord, options?: CallOptions) {
        const result = await super.create(id, record, options);
        const row = this.rows.get(`s:${id}`);
        if (row) row.data = record.data;
        return result;
      }
    },
    ['round-trip > mutating the written buffer afterwards does not change what is stored'],
  ),
  overriding(
    'hands out its own buffer',
    class extends ReferenceStore {
      override snapshot(id: string, row: Row): StoredSession {
        return { id, ...row };
      }
    },
    ['round-trip > mutating a returned buffer does not change what is stored'],
  ),
  overriding(
    'stores data as UTF-8 text',
    class extends ReferenceStore {
      override write(id: string, row: Row): void {
        const text = new TextDecoder().decode(row.data);
        super.write(id, { ...row, data: new TextEncoder().encode(text) });
      }
    },
    [
      'round-trip > create then find returns all 256 byte values unchanged',
      'round-trip > create then find returns bytes that are not valid UTF-8',
      'round-trip > round-trips arbitrary records (property-based)',
    ],
  ),
  overriding(
    'touch bumps the version',
    class extends ReferenceStore {
      override async touch(id: string, expiresAt: number, lastSeenAt: number) {
        const alive = await super.touch(id, expiresAt, lastSeenAt);
        const row = this.rows.get(`s:${id}`);
        if (row) row.version++;
        return alive;
      }
    },
    ['touch > touch changes neither data nor version'],
  ),
  overriding(
    'touch creates a missing session',
    class extends ReferenceStore {
      override async touch(id: string, expiresAt: number, lastSeenAt: number) {
        if (!this.live(id)) {
          const data = new Uint8Array(0);
          this.write(id, { data, expiresAt, lastSeenAt, userId: null, createdAt: 0, version: 1 });
        }
        return super.touch(id, expiresAt, lastSeenAt);
      }
    },
    ['touch > touch of a never-created id returns false and creates nothing'],
  ),
  overriding(
    'touch does not extend the native expiry (a forgotten PEXPIRE)',
    class extends ReferenceStore {
      override async touch(id: string, expiresAt: number, lastSeenAt: number) {
        const native = this.expiry.get(`s:${id}`);
        const alive = await super.touch(id, expiresAt, lastSeenAt);
        if (native !== undefined && this.rows.has(`s:${id}`)) this.expiry.set(`s:${id}`, native);
        return alive;
      }
    },
    // On the controlled clock real time hardly passes, so only the raw check and the
    // real-time group can see a backend expiry that was left behind.
    [
      'raw persistence > no key lives forever',
      'backend-native expiry (real time) > after a touch, the backend keeps the session',
    ],
  ),
  overriding(
    'counts the native expiry from its own clock (a relative PX instead of PXAT)',
    class extends ReferenceStore {
      override setExpiry(id: string, row: Row): void {
        super.setExpiry(id, row);
        this.expiry.set(`s:${id}`, Date.now() + (row.expiresAt - this.clock()));
      }
    },
    ['backend-native expiry (real time) > on a clock ahead of real time'],
  ),
  overriding(
    'per-user index keys never expire',
    class extends ReferenceStore {
      override refreshIndexExpiry(userId: string): void {
        if (this.index.has(`u:${userId}`)) this.expiry.set(`u:${userId}`, null);
      }
    },
    ['raw persistence > no key lives forever'],
  ),
  overriding(
    'delete leaves the id in the per-user index',
    class extends ReferenceStore {
      override unindex(): void {}
    },
    [
      'raw persistence > nothing about a deleted session remains',
      'raw persistence > nothing about revoked sessions remains after deleteByUser',
    ],
  ),
  overriding(
    'persists a create whose expiry has passed',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord, options?: CallOptions) {
        if (record.expiresAt <= this.clock() && !this.rows.has(`s:${id}`)) {
          this.write(id, { ...record, version: 1 });
          // As a SQL row: nothing but a cleanup would ever remove it.
          this.expiry.set(`s:${id}`, null);
          return { ok: true as const, version: 1 };
        }
        return super.create(id, record, options);
      }
    },
    ['raw persistence > a create whose expiresAt has passed persists nothing'],
  ),
  overriding(
    'crashes with a TypeError on a corrupt row',
    class extends ReferenceStore {
      override live(id: string): Row | undefined {
        const row = this.rows.get(`s:${id}`);
        if (row && !(row.data instanceof Uint8Array)) return row;
        return super.live(id);
      }
    },
    ['raw persistence > a corrupt session reads as no session'],
  ),
  overriding(
    'create ignores its AbortSignal',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord) {
        return super.create(id, record);
      }
    },
    ['abort signal > create with an aborted signal rejects and writes nothing'],
  ),
  overriding(
    'find does not validate ids',
    class extends ReferenceStore {
      override async find(id: string) {
        const row = typeof id === 'string' ? this.rows.get(`s:${id}`) : undefined;
        return row ? this.snapshot(id, row) : null;
      }
    },
    ['errors and input validation > find rejects malformed ids with InvalidInputError'],
  ),
  mutant('find throws synchronously instead of rejecting', () => {
    const store = new ReferenceStore();
    const find = store.find.bind(store);
    store.find = ((id: string, options?: CallOptions) => {
      if (typeof id !== 'string' || id.length === 0) throw new TypeError('bad id');
      return find(id, options);
    }) as ReferenceStore['find'];
    return store;
  }, ['errors and input validation > find rejects malformed ids with InvalidInputError']),
  overriding(
    'iterate yields a session twice',
    class extends ReferenceStore {
      override async *iterate(options?: IterateOptions) {
        let first: StoredSession | undefined;
        for await (const session of super.iterate(options)) {
          first ??= session;
          yield session;
        }
        if (first) yield first;
      }
    },
    ['iteration > yields each session exactly once whatever the page size'],
  ),
  overriding(
    'iterate pages by offset over the live keys (misses rows when others are deleted)',
    class extends ReferenceStore {
      override async *iterate(options?: IterateOptions) {
        const pageSize = options?.pageSize ?? 100;
        for (let start = 0; ; start += pageSize) {
          await nextTurn();
          const ids = [...this.rows.keys()].slice(start, start + pageSize);
          if (ids.length === 0) return;
          for (const key of ids) {
            const row = this.live(key.slice(2));
            if (row) yield this.snapshot(key.slice(2), row);
          }
        }
      }
    },
    ['iteration > sessions deleted during the iteration: the others are yielded exactly once'],
  ),
  overriding(
    'listByUser is not sorted by createdAt',
    class extends ReferenceStore {
      override async listByUser(userId: string) {
        return this.sessions(this.indexed(userId));
      }
    },
    ['per-user index > listByUser returns the live sessions of a user, oldest first'],
  ),
  overriding(
    'deleteByUser ignores except',
    class extends ReferenceStore {
      override async deleteByUser(userId: string, options?: DeleteByUserOptions) {
        return super.deleteByUser(userId, { ...options, except: undefined });
      }
    },
    ['per-user index > deleteByUser keeps the `except` session'],
  ),
  overriding(
    'update leaves the session indexed under its previous user',
    class extends ReferenceStore {
      override write(id: string, row: Row): void {
        const previous = this.rows.get(`s:${id}`)?.userId;
        super.write(id, row);
        if (previous != null && previous !== row.userId) {
          this.index.get(`u:${previous}`)?.add(id) ??
            this.index.set(`u:${previous}`, new Set([id]));
        }
      }
      override async listByUser(userId: string) {
        return this.sessions(this.indexed(userId)).sort((a, b) => a.createdAt - b.createdAt);
      }
    },
    ['per-user index > update moves a session between users'],
  ),
  overriding(
    'deleteByUser counts expired sessions',
    class extends ReferenceStore {
      override async deleteByUser(userId: string, options?: DeleteByUserOptions) {
        const all = this.indexed(userId).filter((id) => id !== options?.except).length;
        await super.deleteByUser(userId, options);
        return all;
      }
    },
    ['per-user index > deleteByUser counts only live sessions'],
  ),
  overriding(
    'close is not idempotent',
    class extends ReferenceStore {
      #closed = false;
      override async close() {
        if (this.#closed) throw new Error('already closed');
        this.#closed = true;
      }
    },
    ['close > close resolves and is idempotent'],
  ),
  mutant('declares iterate without implementing it', () => {
    const store = new ReferenceStore();
    (store as { iterate?: unknown }).iterate = undefined;
    return store;
  }, ['capabilities > implements the methods of every capability it declares']),
  mutant('stops declaring touch (a regression expectCapabilities must catch)', () => {
    const store = new ReferenceStore();
    (store as { capabilities: object }).capabilities = { ...store.capabilities, touch: false };
    return store;
  }, [
    'capabilities > declares exactly the expected capabilities',
    'touch > touch extends the expiry',
  ]),
  ...EDGE_MUTANTS,
  ...KIT_RULE_MUTANTS,
  ...OPTION_MUTANTS,
  ...ERROR_MUTANTS,
];
