import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { RedisStore } from '@hallpass/redis';
import { SqliteStore } from '@hallpass/sqlite';
import { Redis } from 'ioredis';
import { REDIS_URL, serverAvailable, uniqueName } from './servers.js';

/** A hallpass store for one test, and how to remove every trace of it afterwards. */
export interface StoreCase {
  name: string;
  /** Whether the store's server is there (throws under CI=true when it is not). */
  available(): Promise<boolean>;
  open(): { store: Store; cleanup(): Promise<void> };
}

export const memoryStore: StoreCase = {
  name: 'memory',
  available: async () => true,
  open() {
    const store = new MemoryStore();
    return { store, cleanup: () => store.close() };
  },
};

export const sqliteStore: StoreCase = {
  name: 'sqlite',
  available: async () => true,
  open() {
    const dir = mkdtempSync(join(tmpdir(), 'hallpass-compat-'));
    const store = new SqliteStore({ filename: join(dir, 'sessions.db') });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const redisStore: StoreCase = {
  name: 'redis',
  available: () => serverAvailable('redis'),
  open() {
    const prefix = uniqueName('redis');
    const store = new RedisStore({ url: REDIS_URL, prefix });
    return {
      store,
      async cleanup() {
        await store.close();
        await deleteKeys(`${prefix}:*`);
      },
    };
  },
};

/** Deletes this run's keys only (never FLUSHALL on the shared server). */
export async function deleteKeys(pattern: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export const everyStore: StoreCase[] = [memoryStore, sqliteStore, redisStore];
