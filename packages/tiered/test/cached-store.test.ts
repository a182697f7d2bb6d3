import {
  controlledClock,
  makeRecord,
  makeUpdate,
  randomId,
  randomUserId,
} from '@hallpass/conformance';
import {
  ConfigurationError,
  StoreAbortedError,
  StoreUnavailableError,
  supports,
} from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedStore, type CachedStoreOptions } from '../src/index.js';
import { CountingStore } from './support/counting-store.js';
import { DownStore } from './support/down-store.js';
import { HeldAnswerStore } from './support/held-answer-store.js';
import { minimalStore } from './support/minimal-store.js';
import { plainBytes } from './support/plain-bytes.js';

/** Long enough that no test reaches it by waiting: entries only leave by the rule under test. */
const NEVER_STALE = 3_600_000;

const opened: CachedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function cached<S extends MemoryStore>(inner: S, options: CachedStoreOptions = {}): CachedStore {
  const store = new CachedStore(inner, {
    maxStalenessMs: NEVER_STALE,
    closeInner: true,
    ...options,
  });
  opened.push(store);
  return store;
}

describe('CachedStore: read-through and write-through', () => {
  it('answers repeated finds from the cache after one read of the shared store', async () => {
    const shared = new CountingStore();
    const store = cached(shared);
    const id = randomId();
    const record = makeRecord();
    await shared.create(id, record);

    const first = await store.find(id);
    const second = await store.find(id);
    const third = await store.find(id);

    expect(shared.count('find')).toBe(1);
    for (const found of [first, second, third]) {
      expect(found).toMatchObject({ id, expiresAt: record.expiresAt, createdAt: record.createdAt });
      expect(plainBytes(found)?.data).toEqual(record.data);
    }
  });

  it('caches what create and update wrote, so the next find does not read the shared store', async () => {
    const shared = new CountingStore();
    const store = cached(shared);
    const id = randomId();
    const record = makeRecord();
    const created = await store.create(id, record);
    expect(created.ok).toBe(true);
    expect(await store.find(id)).toMatchObject({ id, data: record.data, version: 1 });

    const changes = makeUpdate({ userId: randomUserId() });
    const updated = await store.update(id, changes, { expectedVersion: 1 });
    expect(updated).toEqual({ ok: true, version: 2 });
    const found = await store.find(id);

    expect(shared.count('find')).toBe(0);
    expect(found).toEqual({ id, ...changes, createdAt: record.createdAt, version: 2 });
    expect(plainBytes(await shared.find(id))).toEqual(plainBytes(found));
  });

  it('applies a touch to the cached copy without a read', async () => {
    const shared = new CountingStore();
    const store = cached(shared);
    const id = randomId();
    await store.create(id, makeRecord());
    const expiresAt = Date.now() + 7_200_000;
    const lastSeenAt = Date.now();

    expect(await store.touch?.(id, expiresAt, lastSeenAt)).toBe(true);
    const found = await store.find(id);

    expect(shared.count('find')).toBe(0);
    expect(found).toMatchObject({ expiresAt, lastSeenAt, version: 1 });
    expect(await shared.find(id)).toMatchObject({ expiresAt, lastSeenAt, version: 1 });
  });

  it('hands out copies: changing returned bytes changes neither the cache nor the store', async () => {
    const store = cached(new CountingStore());
    const id = randomId();
    const record = makeRecord();
    const original = record.data.slice();
    await store.create(id, record);
    record.data.fill(0);
    const found = await store.find(id);
    found?.data.fill(1);

    expect((await store.find(id))?.data).toEqual(original);
  });

  it('does not cache misses: a session created elsewhere is found at once', async () => {
    const shared = new CountingStore();
    const store = cached(shared);
    const id = randomId();
    expect(await store.find(id)).toBeNull();
    await shared.create(id, makeRecord());
    expect(await store.find(id)).not.toBeNull();
  });
});

describe('CachedStore: bounds', () => {
  it('stops serving a copy once it is maxStalenessMs old, and reads the shared store again', async () => {
    const shared = new CountingStore();
    // Frozen between advances (no backend here to outrun): the boundary is exact.
    let now = Date.now();
    const store = cached(shared, { maxStalenessMs: 150, clock: () => now });
    const id = randomId();
    await shared.create(id, makeRecord());
    await store.find(id);
    const changes = makeUpdate();
    await shared.update(id, changes);
    now += 149;
    await store.find(id);
    expect(shared.count('find'), 'a copy younger than maxStalenessMs').toBe(1);

    now += 1;
    const found = await store.find(id);

    expect(shared.count('find')).toBe(2);
    expect(plainBytes(found)?.data).toEqual(changes.data);
  });

  it('never serves a cached session past its own expiry', async () => {
    const clock = controlledClock();
    const shared = new CountingStore({ clock });
    const store = cached(shared, { clock });
    const id = randomId();
    const expiresAt = clock() + 60_000;
    await store.create(id, makeRecord({ expiresAt }));
    expect(await store.find(id)).not.toBeNull();
    expect(shared.count('find'), 'served from the cache').toBe(0);

    clock.advance(60_000);

    expect(await store.find(id)).toBeNull();
    expect(shared.count('find'), 'the expired copy was not served').toBe(1);
  });

  it('holds at most maxEntries sessions, dropping the least recently used', async () => {
    const shared = new CountingStore();
    const store = cached(shared, { maxEntries: 3 });
    const [a, b, c, d] = [randomId(), randomId(), randomId(), randomId()];
    for (const id of [a, b, c]) await store.create(id, makeRecord());
    await store.find(a); // a is now the most recently used; b the least
    await store.create(d, makeRecord());

    expect(store.cachedSessions).toBe(3);
    for (const id of [a, c, d]) await store.find(id);
    expect(shared.count('find'), 'a, c and d come from the cache').toBe(0);
    expect(await store.find(b)).not.toBeNull();
    expect(shared.count('find'), 'b was evicted').toBe(1);
  });

  it('stays bounded under many more sessions than it may hold', async () => {
    const store = cached(new CountingStore(), { maxEntries: 50 });
    for (let i = 0; i < 1_000; i++) {
      const id = randomId();
      await store.create(id, makeRecord());
      await store.find(id);
    }
    expect(store.cachedSessions).toBe(50);
  });

  it('caches nothing with maxEntries 0 or maxStalenessMs 0', async () => {
    for (const options of [{ maxEntries: 0 }, { maxStalenessMs: 0 }]) {
      const shared = new CountingStore();
      const store = cached(shared, options);
      const id = randomId();
      await store.create(id, makeRecord());
      await store.find(id);
      await store.find(id);
      expect(shared.count('find'), JSON.stringify(options)).toBe(2);
      expect(store.cachedSessions).toBe(0);
    }
  });

  it('refuses options that are not non-negative integers', () => {
    for (const options of [
      { maxEntries: -1 },
      { maxEntries: 1.5 },
      { maxStalenessMs: Number.NaN },
      { maxStalenessMs: '1000' as unknown as number },
    ]) {
      expect(() => new CachedStore(new MemoryStore(), options), JSON.stringify(options)).toThrow(
        ConfigurationError,
      );
    }
  });

  it('refuses a clock that is not a function', () => {
    expect(() => new CachedStore(new MemoryStore(), { clock: 0 as never })).toThrow(
      ConfigurationError,
    );
  });
});

describe('CachedStore: revocation within one process is immediate', () => {
  it('delete drops the cached copy', async () => {
    const store = cached(new CountingStore());
    const id = randomId();
    await store.create(id, makeRecord());
    await store.find(id);
    await store.delete(id);
    expect(await store.find(id)).toBeNull();
  });

  it("deleteByUser drops the user's cached sessions but `except`", async () => {
    const store = cached(new CountingStore());
    const userId = randomUserId();
    const [kept, revoked, other] = [randomId(), randomId(), randomId()];
    await store.create(kept, makeRecord({ userId }));
    await store.create(revoked, makeRecord({ userId }));
    await store.create(other, makeRecord({ userId: randomUserId() }));

    expect(await store.deleteByUser?.(userId, { except: kept })).toBe(1);

    expect(await store.find(revoked)).toBeNull();
    expect(await store.find(kept)).not.toBeNull();
    expect(await store.find(other)).not.toBeNull();
  });

  it('an update with an expiry in the past removes the cached copy with the session', async () => {
    const store = cached(new CountingStore());
    const id = randomId();
    await store.create(id, makeRecord());
    expect((await store.update(id, makeUpdate({ expiresAt: Date.now() - 1 }))).ok).toBe(true);
    expect(await store.find(id)).toBeNull();
  });

  it('a read that was under way while the session was deleted does not cache the old copy', async () => {
    const shared = new HeldAnswerStore();
    const store = cached(shared);
    const id = randomId();
    await shared.create(id, makeRecord());

    const held = shared.holdNextFind();
    const slowRead = store.find(id);
    await held.done; // the read has seen the session...
    await store.delete(id); // ...which is then deleted before the answer arrives
    held.release();

    expect(await slowRead, 'the slow read returns what it saw').not.toBeNull();
    expect(await store.find(id), 'but it was not cached').toBeNull();
  });

  it('a read that was under way during a revoke-all does not cache the revoked session', async () => {
    const shared = new HeldAnswerStore();
    const store = cached(shared);
    const userId = randomUserId();
    const id = randomId();
    await shared.create(id, makeRecord({ userId }));

    const held = shared.holdNextFind();
    const slowRead = store.find(id);
    await held.done;
    expect(await store.deleteByUser?.(userId)).toBe(1);
    held.release();
    await slowRead;

    expect(await store.find(id)).toBeNull();
  });
});

describe('CachedStore: overlapping writes in one process', () => {
  it('two overlapping updates whose answers arrive out of order leave no outdated copy', async () => {
    const shared = new HeldAnswerStore();
    const store = cached(shared);
    const id = randomId();
    await store.create(id, makeRecord());

    const held = shared.holdNextUpdate();
    const first = makeUpdate();
    const firstWrite = store.update(id, first);
    await held.done; // applied to the shared store, answer still on its way
    const second = makeUpdate();
    expect((await store.update(id, second)).ok).toBe(true);
    held.release();
    expect((await firstWrite).ok).toBe(true);

    const found = await store.find(id);
    expect(plainBytes(found)?.data, 'the later write is what the shared store holds').toEqual(
      second.data,
    );
    expect(found).toEqual(await shared.find(id));
  });
});

describe('CachedStore: the shared store decides every write', () => {
  it('a compare-and-set lost to another process drops the stale copy, so a retry reads the winner', async () => {
    const shared = new CountingStore();
    const processA = cached(shared);
    const processB = cached(shared);
    const id = randomId();
    await shared.create(id, makeRecord());
    const seenByA = await processA.find(id);
    await processB.find(id);

    const winner = makeUpdate();
    expect(await processB.update(id, winner, { expectedVersion: 1 })).toEqual({
      ok: true,
      version: 2,
    });
    expect((await processA.find(id))?.version, 'A still serves its cached copy').toBe(
      seenByA?.version,
    );
    expect(await processA.update(id, makeUpdate(), { expectedVersion: 1 })).toEqual({
      ok: false,
      reason: 'conflict',
    });

    const reread = await processA.find(id);
    expect(reread?.version).toBe(2);
    expect(plainBytes(reread)?.data).toEqual(winner.data);
  });

  it('a session revoked by another process cannot be written back by this one', async () => {
    const shared = new CountingStore();
    const processA = cached(shared);
    const processB = cached(shared);
    const id = randomId();
    await processA.create(id, makeRecord());
    await processA.find(id);

    await processB.delete(id);

    expect(await processA.update(id, makeUpdate())).toEqual({ ok: false, reason: 'missing' });
    expect(await processA.touch?.(id, Date.now() + 60_000, Date.now())).toBe(false);
    expect(await processA.find(id), 'the failed writes dropped the cached copy').toBeNull();
    expect(await shared.find(id)).toBeNull();
  });

  it('create never overwrites a session another process created under the id', async () => {
    const shared = new CountingStore();
    const store = cached(shared);
    const id = randomId();
    const first = makeRecord();
    await shared.create(id, first);
    expect(await store.create(id, makeRecord())).toEqual({ ok: false, reason: 'exists' });
    expect(plainBytes(await store.find(id))?.data).toEqual(first.data);
  });
});

describe('CachedStore: concurrent read-modify-write across processes', () => {
  it('loses no increment when writers in two processes race through their caches', async () => {
    const shared = new CountingStore();
    const processes = [cached(shared), cached(shared)];
    const id = randomId();
    const encode = (n: number) => new TextEncoder().encode(String(n));
    await shared.create(id, makeRecord({ data: encode(0) }));
    const writers = 20;
    const incrementsEach = 10;

    const increment = async (store: CachedStore) => {
      for (;;) {
        const current = await store.find(id);
        if (!current) throw new Error('the session vanished');
        const next = Number(new TextDecoder().decode(current.data)) + 1;
        const result = await store.update(
          id,
          { ...makeUpdate(), data: encode(next) },
          { expectedVersion: current.version },
        );
        if (result.ok) return;
        expect(result.reason).toBe('conflict');
      }
    };
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const store = processes[writer % 2] as CachedStore;
        for (let i = 0; i < incrementsEach; i++) await increment(store);
      }),
    );

    const total = writers * incrementsEach;
    const final = await shared.find(id);
    expect(new TextDecoder().decode(final?.data)).toBe(String(total));
    expect(final?.version).toBe(1 + total);
    // The other process may still serve the copy it last saw (within maxStalenessMs), but
    // never a mix of one write's data and another's version.
    for (const store of processes) {
      const copy = await store.find(id);
      expect(Number(new TextDecoder().decode(copy?.data))).toBe((copy?.version ?? 0) - 1);
    }
  });
});

describe('CachedStore: capabilities, failures and close', () => {
  it('declares only the capabilities of the wrapped store, and lacks their methods', () => {
    const store = new CachedStore(minimalStore());
    expect(store.capabilities).toEqual({
      versioned: false,
      iterate: false,
      userIndex: false,
      touch: false,
    });
    for (const capability of ['iterate', 'userIndex', 'touch'] as const) {
      expect(supports(store, capability)).toBe(false);
    }
    expect(store.touch).toBeUndefined();
    expect(store.iterate).toBeUndefined();
    expect(store.listByUser).toBeUndefined();
    expect(store.deleteByUser).toBeUndefined();
  });

  it('works over a store with only the required methods', async () => {
    const store = new CachedStore(minimalStore(), { maxStalenessMs: NEVER_STALE });
    const id = randomId();
    const record = makeRecord();
    expect((await store.create(id, record)).ok).toBe(true);
    expect((await store.update(id, makeUpdate())).ok).toBe(true);
    expect(await store.find(id)).not.toBeNull();
    await store.delete(id);
    expect(await store.find(id)).toBeNull();
  });

  it('passes StoreUnavailableError through when the shared store is down', async () => {
    const down = new DownStore();
    const store = new CachedStore(down);
    const id = randomId();
    await expect(store.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.create(id, makeRecord())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.update(id, makeUpdate())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.deleteByUser?.(randomUserId())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(down.refused).toBe(4);
  });

  it('rejects an aborted find even when the session is cached', async () => {
    const store = cached(new CountingStore());
    const id = randomId();
    await store.create(id, makeRecord());
    await expect(store.find(id, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      StoreAbortedError,
    );
  });

  it('close() leaves the wrapped store open unless closeInner is set, and closes it once', async () => {
    const kept = new CountingStore();
    await new CachedStore(kept).close();
    expect(kept.count('close')).toBe(0);

    const owned = new CountingStore();
    const store = new CachedStore(owned, { closeInner: true });
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect(owned.count('close')).toBe(1);
  });

  it('after close() every call rejects, even one the cache could answer', async () => {
    const inner = new MemoryStore();
    const store = new CachedStore(inner, { maxStalenessMs: NEVER_STALE });
    const id = randomId();
    const userId = randomUserId();
    await store.create(id, makeRecord({ userId }));
    expect(await store.find(id)).not.toBeNull();
    await store.close();
    await expect(store.find(id)).rejects.toThrow('cached find: the store is closed');
    await expect(store.create(randomId(), makeRecord())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.update(id, makeUpdate())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.touch?.(id, Date.now() + 60_000, Date.now())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.listByUser?.(userId)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.deleteByUser?.(userId)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.delete(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.iterate?.()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    // The wrapped store was not the wrapper's to close: it still holds the session.
    expect(await inner.find(id)).not.toBeNull();
    await inner.close();
  });
});
