import { describe, expect, it } from 'vitest';
import type { BaseStore, SessionRow, StoreSettings } from '../src/store.js';
import { MinimalStore } from './support/minimal-store.js';

const NOW = Date.UTC(2030, 0, 1);

const row = (id: string): SessionRow => ({
  id,
  data: new Uint8Array([1]),
  expiresAt: NOW + 60_000,
  userId: null,
  createdAt: NOW,
  lastSeenAt: NOW,
  version: 1,
});

/** A store that iterates through rowPages only, handing out the pages it is given. */
class PagedStore extends MinimalStore {
  constructor(
    readonly pages: SessionRow[][],
    settings: Partial<StoreSettings> = {},
  ) {
    super({ name: 'paged', clock: () => NOW, cleanupIntervalMs: 0, ...settings });
  }

  protected override async *rowPages() {
    yield* this.pages;
  }
}

async function iteratedIds(store: BaseStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const session of store.iterate()) ids.push(session.id);
  return ids;
}

// A SCAN cursor returns an entry twice when the keyspace is resized mid-scan.
const REPEATING = () => [[row('a'), row('b')], [row('b'), row('c')], [row('a')]];

describe('BaseStore iteration over rowPages', () => {
  it('drops the ids a page repeats: each session is yielded once', async () => {
    expect(await iteratedIds(new PagedStore(REPEATING()))).toEqual(['a', 'b', 'c']);
  });

  it('with uniqueRowPages it keeps no record of the ids: the pages pass as they are', async () => {
    // The store promised never to repeat an id; remembering them all would cost a Set entry
    // per session over the whole iteration, which is what the option is there to spare.
    const store = new PagedStore(REPEATING(), { uniqueRowPages: true });
    expect(await iteratedIds(store)).toEqual(['a', 'b', 'b', 'c', 'a']);
  });
});
