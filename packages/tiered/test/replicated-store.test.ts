import { makeRecord, makeUpdate, randomId, randomUserId } from '@hallpass/conformance';
import {
  InvalidInputError,
  type SessionRecord,
  type Store,
  StoreUnavailableError,
  supports,
} from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicatedStore, type ReplicationFailure } from '../src/index.js';
import { CountingStore } from './support/counting-store.js';
import { DownStore } from './support/down-store.js';
import { minimalStore } from './support/minimal-store.js';

const opened: ReplicatedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function replicated(
  primary: Store,
  secondaries: Store[],
  failures: ReplicationFailure[] = [],
): ReplicatedStore {
  const store = new ReplicatedStore(primary, secondaries, {
    closeInner: true,
    onReplicationError: (failure) => failures.push(failure),
  });
  opened.push(store);
  return store;
}

/** What every copy of a session must agree on (versions are each store's own). */
function content(session: SessionRecord | null) {
  if (!session) return null;
  const { data, expiresAt, userId, createdAt, lastSeenAt } = session;
  // Plain bytes: a store may hand out a Buffer, which toEqual tells apart from a Uint8Array.
  return { data: new Uint8Array(data), expiresAt, userId, createdAt, lastSeenAt };
}

async function expectSameEverywhere(id: string, stores: Store[]): Promise<void> {
  const [first, ...rest] = await Promise.all(stores.map((store) => store.find(id)));
  for (const [index, copy] of rest.entries()) {
    expect(content(copy), `copy ${index + 1} of ${id}`).toEqual(content(first ?? null));
  }
}

describe('ReplicatedStore: replication to two secondaries', () => {
  it('copies create, update, touch and delete to every secondary', async () => {
    const primary = new CountingStore();
    const secondaries = [new CountingStore(), new CountingStore()];
    const failures: ReplicationFailure[] = [];
    const store = replicated(primary, secondaries, failures);
    const all = [primary, ...secondaries];
    const id = randomId();

    const record = makeRecord({ userId: randomUserId() });
    expect(await store.create(id, record)).toEqual({ ok: true, version: 1 });
    await expectSameEverywhere(id, all);
    expect(content(await secondaries[0]!.find(id))).toEqual(content(record));

    const changes = makeUpdate();
    expect(await store.update(id, changes, { expectedVersion: 1 })).toEqual({
      ok: true,
      version: 2,
    });
    await expectSameEverywhere(id, all);
    expect(content(await secondaries[1]!.find(id))?.data).toEqual(changes.data);

    const expiresAt = Date.now() + 7_200_000;
    expect(await store.touch?.(id, expiresAt, Date.now())).toBe(true);
    await expectSameEverywhere(id, all);
    expect((await secondaries[0]!.find(id))?.expiresAt).toBe(expiresAt);

    await store.delete(id);
    for (const backend of all) expect(await backend.find(id)).toBeNull();
    expect(failures).toEqual([]);
  });

  it('copies deleteByUser, keeping `except` everywhere', async () => {
    const secondaries = [new CountingStore(), new CountingStore()];
    const store = replicated(new CountingStore(), secondaries);
    const userId = randomUserId();
    const [kept, revoked] = [randomId(), randomId()];
    await store.create(kept, makeRecord({ userId }));
    await store.create(revoked, makeRecord({ userId }));

    expect(await store.deleteByUser?.(userId, { except: kept })).toBe(1);

    for (const backend of [store, ...secondaries]) {
      expect(await backend.find(revoked)).toBeNull();
      expect(await backend.find(kept)).not.toBeNull();
    }
  });

  it('reads only from the primary', async () => {
    const secondaries = [new CountingStore(), new CountingStore()];
    const store = replicated(new CountingStore(), secondaries);
    const userId = randomUserId();
    const id = randomId();
    await store.create(id, makeRecord({ userId }));
    await store.find(id);
    await store.listByUser?.(userId);
    for await (const _ of store.iterate?.() ?? []) {
      // drain
    }
    for (const secondary of secondaries) {
      expect(
        secondary.count('find') + secondary.count('listByUser') + secondary.count('iterate'),
      ).toBe(0);
    }
  });

  it("the primary's answer is the answer: a lost compare-and-set or a missing session replicates nothing", async () => {
    const secondaries = [new CountingStore(), new CountingStore()];
    const store = replicated(new CountingStore(), secondaries);
    const id = randomId();
    await store.create(id, makeRecord());
    await store.update(id, makeUpdate());
    const writesBefore = secondaries.map((s) => s.count('update') + s.count('create'));

    expect(await store.update(id, makeUpdate(), { expectedVersion: 1 })).toEqual({
      ok: false,
      reason: 'conflict',
    });
    expect(await store.update(randomId(), makeUpdate())).toEqual({ ok: false, reason: 'missing' });
    expect(await store.create(id, makeRecord())).toEqual({ ok: false, reason: 'exists' });
    expect(await store.touch?.(randomId(), Date.now() + 60_000, Date.now())).toBe(false);

    expect(secondaries.map((s) => s.count('update') + s.count('create'))).toEqual(writesBefore);
  });

  it('input the primary refuses reaches no secondary', async () => {
    const secondaries = [new CountingStore()];
    const store = replicated(new CountingStore(), secondaries);
    await expect(store.create('not an id!', makeRecord())).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(store.touch?.(randomId(), Number.NaN, Date.now())).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(secondaries[0]!.count('create') + secondaries[0]!.count('touch')).toBe(0);
  });
});

describe('ReplicatedStore: secondaries that missed writes', () => {
  it('a secondary that never had the session gets a full copy on its next update', async () => {
    const primary = new CountingStore();
    const late = new CountingStore();
    const id = randomId();
    const record = makeRecord({ userId: randomUserId() });
    await primary.create(id, record); // written before replication started
    const store = replicated(primary, [late]);

    const changes = makeUpdate({ userId: record.userId });
    expect((await store.update(id, changes)).ok).toBe(true);

    expect(content(await late.find(id))).toEqual({ ...content(record), ...changes });
  });

  it('a secondary that never had the session gets a full copy on its next touch', async () => {
    const primary = new CountingStore();
    const late = new CountingStore();
    const id = randomId();
    await primary.create(id, makeRecord());
    const store = replicated(primary, [late]);

    const expiresAt = Date.now() + 7_200_000;
    expect(await store.touch?.(id, expiresAt, Date.now())).toBe(true);

    await expectSameEverywhere(id, [primary, late]);
    expect((await late.find(id))?.expiresAt).toBe(expiresAt);
  });

  it('a session created on a secondary first is overwritten by the replicated create', async () => {
    const secondary = new CountingStore();
    const id = randomId();
    const first = makeRecord();
    await secondary.create(id, first);
    const store = replicated(new CountingStore(), [secondary]);
    // An update never changes createdAt: the two records share it (made in the same
    // millisecond or not), and everything else must be the replicated record's.
    const record = makeRecord({ createdAt: first.createdAt });
    await store.create(id, record);
    expect(content(await secondary.find(id))).toEqual(content(record));
  });

  it('replicates to secondaries without any capability', async () => {
    const backing = new MemoryStore({ cleanupIntervalMs: 0 });
    const plain = minimalStore(backing);
    const store = replicated(new CountingStore(), [plain]);
    const userId = randomUserId();
    const [a, b] = [randomId(), randomId()];
    await store.create(a, makeRecord({ userId }));
    await store.create(b, makeRecord({ userId }));

    const expiresAt = Date.now() + 7_200_000;
    await store.touch?.(a, expiresAt, Date.now());
    expect((await plain.find(a))?.expiresAt, 'touch copied without touch()').toBe(expiresAt);

    expect(await store.deleteByUser?.(userId)).toBe(2);
    expect(await plain.find(a), 'deleteByUser copied without a user index').toBeNull();
    expect(await plain.find(b)).toBeNull();
    await backing.close();
  });
});

describe('ReplicatedStore: failing secondaries', () => {
  it('a secondary that is down never fails the write; the failure is reported', async () => {
    const primary = new CountingStore();
    const down = new DownStore();
    const healthy = new CountingStore();
    const failures: ReplicationFailure[] = [];
    const store = replicated(primary, [down, healthy], failures);
    const userId = randomUserId();
    const id = randomId();

    expect(await store.create(id, makeRecord({ userId }))).toEqual({ ok: true, version: 1 });
    expect((await store.update(id, makeUpdate({ userId }))).ok).toBe(true);
    expect(await store.touch?.(id, Date.now() + 60_000, Date.now())).toBe(true);
    expect(await store.deleteByUser?.(userId)).toBe(1);
    await store.delete(id);

    expect(await primary.find(id)).toBeNull();
    expect(healthy.count('create')).toBe(1);
    expect(failures.map((f) => [f.operation, f.index])).toEqual([
      ['create', 0],
      ['update', 0],
      ['touch', 0],
      ['deleteByUser', 0],
      ['delete', 0],
    ]);
    for (const failure of failures) {
      expect(failure.error).toBeInstanceOf(StoreUnavailableError);
      expect(failure.secondary).toBe(down);
    }
    expect(failures[0]).toMatchObject({ sessionId: id, userId: null });
    expect(failures[3]).toMatchObject({ sessionId: null, userId });
  });

  it('a secondary with a smaller size limit is reported, the primary keeps the session', async () => {
    const small = new MemoryStore({ maxDataBytes: 16, cleanupIntervalMs: 0 });
    const failures: ReplicationFailure[] = [];
    const store = replicated(new CountingStore(), [small], failures);
    const id = randomId();
    const record = makeRecord({ data: new Uint8Array(64) });
    expect((await store.create(id, record)).ok).toBe(true);
    expect(await store.find(id)).not.toBeNull();
    expect(await small.find(id)).toBeNull();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toBeInstanceOf(InvalidInputError);
  });

  it('the primary being down fails the call with StoreUnavailableError and replicates nothing', async () => {
    const secondary = new CountingStore();
    const store = replicated(new DownStore(), [secondary]);
    const id = randomId();
    await expect(store.create(id, makeRecord())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.find(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(secondary.count('create')).toBe(0);
  });

  it('a listener that throws does not fail the write', async () => {
    const store = new ReplicatedStore(new CountingStore(), [new DownStore()], {
      closeInner: true,
      onReplicationError: () => {
        throw new Error('broken logger');
      },
    });
    opened.push(store);
    expect((await store.create(randomId(), makeRecord())).ok).toBe(true);
  });

  it('without a listener, a failure becomes a process warning', async () => {
    const store = new ReplicatedStore(new CountingStore(), [new DownStore()], { closeInner: true });
    opened.push(store);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await store.create(randomId(), makeRecord());
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).toContain(
      'HALLPASS_REPLICATION_FAILED',
    );
  });
});

describe('ReplicatedStore: capabilities and close', () => {
  it("declares the primary's capabilities, whatever the secondaries lack", () => {
    const store = new ReplicatedStore(new MemoryStore({ cleanupIntervalMs: 0 }), [minimalStore()], {
      closeInner: true,
    });
    opened.push(store);
    expect(store.capabilities).toEqual({
      versioned: true,
      iterate: true,
      userIndex: true,
      touch: true,
    });
  });

  it('over a primary without capabilities, lacks their methods', () => {
    const store = new ReplicatedStore(minimalStore(), [new MemoryStore({ cleanupIntervalMs: 0 })]);
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
    expect(store.deleteByUser).toBeUndefined();
  });

  it('close() closes the wrapped stores only with closeInner, and only once', async () => {
    const kept = [new CountingStore(), new CountingStore()];
    await new ReplicatedStore(kept[0]!, [kept[1]!]).close();
    expect(kept.map((s) => s.count('close'))).toEqual([0, 0]);

    const owned = [new CountingStore(), new CountingStore(), new CountingStore()];
    const store = new ReplicatedStore(owned[0]!, owned.slice(1), { closeInner: true });
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect(owned.map((s) => s.count('close'))).toEqual([1, 1, 1]);
  });

  it('after close() every call rejects and nothing reaches the wrapped stores', async () => {
    const primary = new CountingStore();
    const secondary = new CountingStore();
    const store = new ReplicatedStore(primary, [secondary]);
    await store.close();
    const id = randomId();
    await expect(store.find(id)).rejects.toThrow('replicated find: the store is closed');
    await expect(store.create(id, makeRecord())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.update(id, makeUpdate())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.delete(id)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(primary.count('create') + primary.count('find') + secondary.count('create')).toBe(0);
  });
});
