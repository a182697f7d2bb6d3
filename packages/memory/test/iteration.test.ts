import { makeRecord, makeUpdate, randomId } from '@hallpass/conformance';
import type { StoredSession } from '@hallpass/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';

const textData = (text: string) => new TextEncoder().encode(text);

/**
 * How the memory store iterates, beyond what the conformance suite asks of every store: it
 * walks its own map a page at a time instead of copying it (or its ids) when the iteration
 * starts, and it stops at the sessions inserted since.
 */
describe('MemoryStore iteration', () => {
  const stores: MemoryStore[] = [];
  const storeWith = async (count: number) => {
    const store = new MemoryStore({ cleanupIntervalMs: 0 });
    stores.push(store);
    const ids = Array.from({ length: count }, () => randomId());
    for (const [i, id] of ids.entries()) {
      await store.create(id, makeRecord({ data: textData(`#${i}`) }));
    }
    return { store, ids };
  };
  afterEach(() => Promise.all(stores.splice(0).map((store) => store.close())));

  it('reads a page when it gets there: what changed before is what it yields', async () => {
    const { store, ids } = await storeWith(6);
    const iterator = store.iterate({ pageSize: 2 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // The first page is read; the last one (sessions #4 and #5) is not yet.
    await store.delete(ids[4]!);
    await store.update(ids[5]!, makeUpdate({ data: textData('changed') }));
    const rest: StoredSession[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest.push(next.value);
    }
    expect([first.value, ...rest].map((session) => session.id)).toEqual([
      ids[0],
      ids[1],
      ids[2],
      ids[3],
      ids[5],
    ]);
    expect(new TextDecoder().decode(rest.at(-1)!.data)).toBe('changed');
  });

  it('ends even when every session it yields is replaced by a new one (an id rotation)', async () => {
    const { store, ids } = await storeWith(50);
    const yielded: string[] = [];
    const created: string[] = [];
    for await (const session of store.iterate({ pageSize: 10 })) {
      yielded.push(session.id);
      const id = randomId();
      created.push(id);
      await store.create(id, makeRecord());
      await store.delete(session.id);
      // A walk that followed the new sessions would never end: fail instead of hanging.
      if (yielded.length > 2 * ids.length) break;
    }
    expect(yielded).toEqual(ids);
    expect(store.size).toBe(created.length);
  });

  it('yields an id deleted and created again during the iteration once', async () => {
    const { store, ids } = await storeWith(5);
    const yielded: string[] = [];
    for await (const session of store.iterate({ pageSize: 1 })) {
      yielded.push(session.id);
      if (session.id === ids[0]) {
        await store.delete(ids[0]);
        await store.create(ids[0], makeRecord());
      }
    }
    expect(yielded).toEqual(ids);
  });
});
