import {
  type CallOptions,
  type IterateOptions,
  type SessionRecord,
  type StoredSession,
  throwIfAborted,
} from '@hallpass/core';
import { ReferenceStore } from '../support/reference-store.js';
import { type Mutant, mutant } from './mutant.js';
import { rewritingUpdate } from './update-mutants.js';

/**
 * One-bug stores for the rules BaseStore applies for every store (abort in flight, corrupt-data
 * reporting, listing order, expectedVersion validation): a store that does without the kit has
 * to apply them itself, and these are the ways it forgets.
 */
export const KIT_RULE_MUTANTS: Mutant[] = [
  mutant(
    'ignores a signal that fires while a call is in flight (answers once the backend does)',
    () =>
      new (class extends ReferenceStore {
        override async roundTrip(): Promise<void> {
          await Promise.resolve();
        }
      })(),
    ['create', 'update', 'delete', 'touch', 'listByUser', 'deleteByUser'].map(
      (method) => `abort in flight > ${method} whose signal fires while it is in flight`,
    ),
  ),
  mutant(
    'leaves an abort listener on the signal of every call',
    () =>
      new (class extends ReferenceStore {
        override async roundTrip(signal: AbortSignal | undefined): Promise<void> {
          signal?.addEventListener('abort', () => {});
          return super.roundTrip(signal);
        }
      })(),
    ['abort in flight > a signal shared by many calls holds no listener'],
  ),
  mutant(
    'checks the signal once per page: yields the rest of a fetched page after an abort',
    () =>
      new (class extends ReferenceStore {
        override async *iterate(options?: IterateOptions): AsyncIterable<StoredSession> {
          const pageSize = options?.pageSize ?? 100;
          let yielded = 0;
          for await (const session of super.iterate({ ...options, signal: undefined })) {
            if (yielded++ % pageSize === 0) throwIfAborted(options?.signal);
            yield session;
          }
        }
      })(),
    ['abort in flight > once the signal fires, iterate yields no further session'],
  ),
  mutant(
    'skips a corrupt session in listings without reporting it',
    () =>
      new (class extends ReferenceStore {
        override reportCorrupt(): void {}
      })(),
    [
      'corrupt data reporting > listByUser skips a corrupt session',
      'corrupt data reporting > iterate skips a corrupt session',
    ],
  ),
  mutant(
    'lists sessions with the same createdAt in index order, not by id',
    () =>
      new (class extends ReferenceStore {
        override async listByUser(userId: string, options?: CallOptions) {
          const listed = await super.listByUser(userId, options);
          const order = this.indexed(userId);
          return listed.sort(
            (a, b) => a.createdAt - b.createdAt || order.indexOf(a.id) - order.indexOf(b.id),
          );
        }
      })(),
    ['listing order > listByUser orders sessions with the same createdAt by id'],
  ),
  rewritingUpdate(
    "coerces expectedVersion as SQL would ('1' matches version 1, NaN conflicts)",
    (call) => {
      const given = call.options?.expectedVersion;
      const coerced = given === undefined ? undefined : Number(given);
      const expectedVersion = coerced === undefined || Number.isFinite(coerced) ? coerced : -1;
      return { ...call, options: { ...call.options, expectedVersion } };
    },
    ['version validation > update rejects an expectedVersion that is not a finite number'],
  ),
  mutant(
    'writes a create whose expiresAt is exactly now (and leaves it to cleanup)',
    () =>
      new (class extends ReferenceStore {
        override async create(id: string, record: SessionRecord, options?: CallOptions) {
          if (record.expiresAt !== this.clock()) return super.create(id, record, options);
          this.write(id, { ...record, version: 1 });
          return { ok: true as const, version: 1 };
        }
      })(),
    ['expiry boundary in the backend > a create with expiresAt equal to the clock'],
  ),
  mutant(
    'touch to a past expiry moves it instead of removing the session',
    () =>
      new (class extends ReferenceStore {
        override async touch(id: string, expiresAt: number, lastSeenAt: number) {
          const row = this.live(id);
          if (!row || expiresAt > this.clock()) return super.touch(id, expiresAt, lastSeenAt);
          row.expiresAt = expiresAt;
          row.lastSeenAt = lastSeenAt;
          return true;
        }
      })(),
    ['expiry boundary in the backend > a touch with expiresAt equal to the clock'],
  ),
  mutant(
    'deleteExpired stops after the first batch',
    () =>
      new (class extends ReferenceStore {
        override async deleteExpired(options: { batchSize?: number; signal?: AbortSignal } = {}) {
          const limit = options.batchSize ?? 1000;
          let removed = 0;
          for (const [key, row] of [...this.rows]) {
            if (removed < limit && row.expiresAt <= this.clock()) {
              this.remove(key.slice(2));
              removed++;
            }
          }
          return removed;
        }
      })(),
    ['cleanup (deleteExpired) > deleteExpired removes every expired session in batches'],
  ),
];
