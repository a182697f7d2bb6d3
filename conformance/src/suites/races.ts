import { type Store, supports } from '@hallpass/core';
import { expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { makeRecord, makeUpdate, randomId, randomUserId } from '../fixtures.js';

/** Lets `turns` rounds of queued work run: promise jobs, then (for the last) the event loop. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
  if (turns > 0) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Rule 2 under real concurrency: an unconditional update racing a delete of the same id must
 * never bring the session back. Whatever the order the backend applies them in, the end state
 * is the same (gone), so each round can assert it. The delete starts after a varying number of
 * turns of the event loop, so it lands between the awaits of a store that reads, then writes.
 */
export function racesSuite(ctx: SuiteContext): void {
  const ROUNDS = 12;

  /** Creates a session, races an update and a delete of it, and checks it stays gone. */
  const race = async (store: Store, turns: number, updateFirst: boolean) => {
    const id = randomId();
    const userId = randomUserId();
    await store.create(id, makeRecord({ userId }));
    const update = async () => {
      if (!updateFirst) await yieldTurns(turns);
      return store.update(id, makeUpdate({ userId }));
    };
    const remove = async () => {
      if (updateFirst) await yieldTurns(turns);
      return store.delete(id);
    };
    await Promise.all(updateFirst ? [update(), remove()] : [remove(), update()]);
    const where = `${updateFirst ? 'delete' : 'update'} issued ${turns} turns after the other`;
    expect(await store.find(id), `${where}: the session after update and delete`).toBeNull();
    if (supports(store, 'userIndex')) {
      expect(await store.listByUser(userId), `${where}: listByUser`).toEqual([]);
    }
    expect(await store.update(id, makeUpdate()), `${where}: a later update`).toEqual({
      ok: false,
      reason: 'missing',
    });
  };

  ctx.group('races', () => {
    ctx.test('an update racing a delete of the same id never recreates it', {}, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        await race(ctx.store, round % (ROUNDS / 2), round < ROUNDS / 2);
      }
    });
  });
}
