import type {
  CallOptions,
  DeleteByUserOptions,
  IterateOptions,
  SessionRecord,
  SessionUpdate,
  StoredSession,
  UpdateOptions,
} from '@hallpass/core';
import { nextTurn, ReferenceStore, type Row } from '../support/reference-store.js';
import { type Mutant, mutant, overriding } from './mutant.js';
import { answeringUpdate, rewritingUpdate, spoilingUpdate } from './update-mutants.js';

/** Ref'd timers the "leaks a timer" mutant leaves behind, cleared after the mutant run. */
export const LEAKED_TIMERS = new Set<NodeJS.Timeout>();

/**
 * A store whose per-user index lookups also take the sessions of every user id `matches` says
 * is the same (a LIKE, a prefix SCAN, a NOCASE collation), and that trusts its index: listing
 * does not re-check the owner, as a store whose index is its only record of the owner would not.
 */
class LooseIndexStore extends ReferenceStore {
  constructor(readonly matches: (indexed: string, asked: string) => boolean) {
    super();
  }

  override indexed(userId: string): string[] {
    return [...this.index].flatMap(([key, ids]) =>
      this.matches(key.slice(2), userId) ? [...ids] : [],
    );
  }

  override async listByUser(userId: string): Promise<StoredSession[]> {
    return this.sessions(this.indexed(userId)).sort((a, b) => a.createdAt - b.createdAt);
  }
}

/** Mutants of the rules the suite's edge-case tests (issue 14) were written for. */
export const EDGE_MUTANTS: Mutant[] = [
  overriding(
    'treats a session as live at exactly its expiresAt (< where <= belongs)',
    class extends ReferenceStore {
      override live(id: string): Row | undefined {
        const row = this.rows.get(`s:${id}`);
        if (row && row.expiresAt === this.clock()) return row;
        return super.live(id);
      }
      override async create(id: string, record: SessionRecord, options?: CallOptions) {
        const result = await super.create(id, record, options);
        if (result.ok && record.expiresAt === this.clock())
          this.write(id, { ...record, version: 1 });
        return result;
      }
      override async update(id: string, changes: SessionUpdate, options?: UpdateOptions) {
        const row = this.live(id);
        const result = await super.update(id, changes, options);
        if (result.ok && row && changes.expiresAt === this.clock()) {
          this.write(id, { ...changes, createdAt: row.createdAt, version: result.version });
        }
        return result;
      }
    },
    [
      'expiry boundary > find: live 1 ms before expiresAt, gone at exactly expiresAt',
      'expiry boundary > listByUser: listed 1 ms before expiresAt',
      'expiry boundary > iterate: yielded 1 ms before expiresAt',
      'expiry boundary > touch at exactly expiresAt',
      'expiry boundary > update at exactly expiresAt',
      'expiry boundary > deleteByUser at exactly expiresAt',
      'expiry boundary > create at exactly expiresAt of the previous session',
      'expiry boundary > create and update with expiresAt equal to the clock',
    ],
  ),
  overriding(
    'iterate yields a session at exactly its expiresAt (one query with >= where > belongs)',
    class extends ReferenceStore {
      override async *iterate(): AsyncIterable<StoredSession> {
        for (const key of [...this.rows.keys()]) {
          await nextTurn();
          const row = this.rows.get(key);
          if (row && row.expiresAt >= this.clock()) yield this.snapshot(key.slice(2), row);
        }
      }
    },
    ['expiry boundary > iterate: yielded 1 ms before expiresAt, not at exactly expiresAt'],
  ),
  overriding(
    'a create with a past expiresAt deletes the live session of its id',
    class extends ReferenceStore {
      override async create(id: string, record: SessionRecord, options?: CallOptions) {
        if (record.expiresAt <= this.clock()) {
          this.remove(id);
          return { ok: true as const, version: 1 };
        }
        return super.create(id, record, options);
      }
    },
    ['expiry boundary > create with a past expiresAt on a live id returns exists'],
  ),
  answeringUpdate(
    'skips the version check when the data is unchanged (a write-avoiding shortcut)',
    ({ id, changes }, store) => {
      const row = store.live(id);
      if (!row || !Buffer.from(row.data).equals(Buffer.from(changes.data))) return undefined;
      row.expiresAt = changes.expiresAt;
      row.lastSeenAt = changes.lastSeenAt;
      return { ok: true, version: row.version };
    },
    ['versioned update > compare-and-set applies whatever the payload'],
  ),
  answeringUpdate(
    'checks expectedVersion before liveness (conflict on an expired session)',
    ({ id, options }, store) => {
      const row = store.rows.get(`s:${id}`);
      const expected = options?.expectedVersion;
      if (!row || expected === undefined || expected === row.version) return undefined;
      return { ok: false, reason: 'conflict' };
    },
    ['versioned update > a stale expectedVersion on an expired session returns missing'],
  ),
  mutant('leaves a ref’d timer running after close', () => {
    const store = new ReferenceStore();
    LEAKED_TIMERS.add(setInterval(() => {}, 3_600_000));
    return store;
  }, ['close > after close, nothing of the store keeps the process alive']),
  mutant(
    'matches user ids by prefix (a LIKE or a SCAN pattern)',
    () => new LooseIndexStore((indexed, asked) => indexed.startsWith(asked)),
    ['user ids > listByUser and deleteByUser match the user id exactly'],
  ),
  mutant(
    'folds the case of user ids (a COLLATE NOCASE column)',
    () => new LooseIndexStore((indexed, asked) => indexed.toLowerCase() === asked.toLowerCase()),
    ['user ids > listByUser and deleteByUser match the user id exactly'],
  ),
  overriding(
    'indexes anonymous sessions under the user "null"',
    class extends ReferenceStore {
      override write(id: string, row: Row): void {
        super.write(id, row);
        if (row.userId === null) {
          const ids = this.index.get('u:null') ?? new Set<string>();
          this.index.set('u:null', ids.add(id));
        }
      }
    },
    ['user ids > anonymous sessions are in no user index'],
  ),
  overriding(
    'keys the per-user index by creation time (same-millisecond sessions collapse)',
    class extends ReferenceStore {
      override write(id: string, row: Row): void {
        super.write(id, row);
        const ids = row.userId === null ? undefined : this.index.get(`u:${row.userId}`);
        for (const other of ids ?? []) {
          if (other !== id && this.rows.get(`s:${other}`)?.createdAt === row.createdAt) {
            ids?.delete(other);
          }
        }
      }
    },
    ['user ids > sessions of one user created in the same millisecond'],
  ),
  overriding(
    'listByUser hands out its own buffers',
    class extends ReferenceStore {
      override async listByUser(userId: string) {
        return (await super.listByUser(userId)).map((session) => ({
          ...session,
          data: this.rows.get(`s:${session.id}`)?.data ?? session.data,
        }));
      }
    },
    ['round-trip > mutating what listByUser returned changes nothing stored'],
  ),
  overriding(
    'iterate hands out its own buffers',
    class extends ReferenceStore {
      override async *iterate(options?: IterateOptions) {
        for await (const session of super.iterate(options)) {
          yield { ...session, data: this.rows.get(`s:${session.id}`)?.data ?? session.data };
        }
      }
    },
    ['round-trip > mutating what iterate returned changes nothing stored'],
  ),
  rewritingUpdate(
    "update ignores a view's byteOffset",
    ({ changes, ...call }) => {
      const skewed = new Uint8Array(changes.data.buffer, 0, changes.data.byteLength);
      return { ...call, changes: { ...changes, data: skewed } };
    },
    ['round-trip > update accepts a Uint8Array view with an offset'],
  ),
  answeringUpdate(
    'update reads, then writes after a round trip (a delete in between is undone)',
    async ({ id, changes, options }, store) => {
      const row = store.live(id);
      if (!row) return { ok: false, reason: 'missing' };
      if (options?.expectedVersion !== undefined && options.expectedVersion !== row.version) {
        return { ok: false, reason: 'conflict' };
      }
      await nextTurn();
      const version = row.version + 1;
      store.write(id, { ...changes, createdAt: row.createdAt, version });
      return { ok: true, version };
    },
    ['races > an update racing a delete of the same id never recreates it'],
  ),
  overriding(
    'caps a page at 1 000 and stops at the first page shorter than pageSize',
    class extends ReferenceStore {
      override async *iterate(options?: IterateOptions) {
        const pageSize = options?.pageSize ?? 100;
        const ids = [...this.rows.keys()].map((key) => key.slice(2));
        for (let start = 0; start < ids.length; ) {
          await nextTurn();
          const page = ids.slice(start, start + Math.min(pageSize, 1_000));
          start += page.length;
          for (const id of page) {
            const row = this.live(id);
            if (row) yield this.snapshot(id, row);
          }
          if (page.length < pageSize) return;
        }
      }
    },
    ['iteration > a pageSize larger than the backend returns per round trip'],
  ),
  overriding(
    'iterate walks the live map and follows every session created during the walk',
    class extends ReferenceStore {
      override async *iterate() {
        // A Map iterator meets entries appended while it runs: the walk never reaches an end
        // while sessions are created as fast as it yields.
        for (const key of this.rows.keys()) {
          await nextTurn();
          const id = key.slice(2);
          const row = this.live(id);
          if (row) yield this.snapshot(id, row);
        }
      }
    },
    ['iteration > an iteration ends while every session it yields is followed by a new one'],
  ),
  overriding(
    'rounds the native expiry to whole seconds (EXPIREAT)',
    class extends ReferenceStore {
      override setExpiry(id: string, row: Row): void {
        super.setExpiry(id, row);
        this.expiry.set(`s:${id}`, Math.round(row.expiresAt / 1_000) * 1_000);
      }
    },
    ['backend-native expiry (real time) > the backend keeps a session until its expiresAt'],
  ),
  overriding(
    'treats a pageSize that is not a positive integer as the default',
    class extends ReferenceStore {
      override iterate(options?: IterateOptions) {
        const asked = options?.pageSize;
        const pageSize = Number.isSafeInteger(asked) && (asked as number) > 0 ? asked : undefined;
        return super.iterate({ ...options, pageSize });
      }
    },
    ['errors and input validation > iterate rejects a pageSize that is not a positive integer'],
  ),
  overriding(
    'deleteByUser treats a malformed except as none (revokes every session of the user)',
    class extends ReferenceStore {
      override deleteByUser(userId: string, options?: DeleteByUserOptions) {
        const except = options?.except;
        const valid = typeof except === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(except);
        return super.deleteByUser(userId, { ...options, except: valid ? except : undefined });
      }
    },
    ['errors and input validation > deleteByUser rejects a malformed except'],
  ),
  overriding(
    'close() releases nothing and calls after it still answer',
    class extends ReferenceStore {
      override async close(): Promise<void> {}
    },
    ['close > every call after close rejects with StoreUnavailableError'],
  ),
  mutant(
    "an update that moves a session to another user leaves it in the old owner's index",
    () =>
      new (class extends ReferenceStore {
        override write(id: string, row: Row): void {
          const previous = this.rows.get(`s:${id}`)?.userId;
          super.write(id, row);
          if (previous == null || previous === row.userId) return;
          const key = `u:${previous}`;
          this.index.set(key, (this.index.get(key) ?? new Set<string>()).add(id));
        }
      })(),
    ["per-user index: current owner > deleteByUser of a session's previous owner"],
  ),
  spoilingUpdate(
    'an update that ends the session answers with the version it had',
    (answer, { changes }, store) =>
      answer.ok && changes.expiresAt <= store.clock()
        ? { ok: true, version: answer.version - 1 }
        : undefined,
    ['versioned update > an update that ends the session'],
  ),
  mutant(
    'deleteExpired also removes sessions one millisecond before their expiry',
    () =>
      new (class extends ReferenceStore {
        override async deleteExpired(): Promise<number> {
          let removed = 0;
          for (const [key, row] of this.rows) {
            if (row.expiresAt > this.clock() + 1) continue;
            this.remove(key.slice(2));
            removed++;
          }
          return removed;
        }
      })(),
    ['cleanup (deleteExpired) > deleteExpired removes the sessions expired by the store clock'],
  ),
];
