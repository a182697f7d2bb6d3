import { makeRecord, makeUpdate, randomId } from '@hallpass/conformance';
import { ConfigurationError } from '@hallpass/core';
import { REDIS_URL } from '@hallpass/test-support';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectNodeRedis } from './support/clients.js';
import { deleteKeys } from './support/inspector.js';
import { standaloneReachable } from './support/missing-server.js';
import { uniquePrefix } from './support/prefix.js';

describe('RedisStore client detection', () => {
  it('refuses anything but an ioredis or node-redis client, naming the accepted ones', () => {
    const lookalikes: unknown[] = [
      {},
      'redis://127.0.0.1:6379',
      { get: () => null, set: () => 'OK' },
      // node-redis v4 had no withTypeMapping: its replies could not be kept binary.
      { sendCommand: () => null, isOpen: true },
    ];
    for (const client of lookalikes) {
      expect(() => new RedisStore({ client: client as never })).toThrow(ConfigurationError);
      expect(() => new RedisStore({ client: client as never })).toThrow(/ioredis.*node-redis/);
    }
  });
});

if (await standaloneReachable('a node-redis client at request time')) {
  describe('a node-redis client at request time', () => {
    const prefix = uniquePrefix('node-redis-requests');
    afterAll(async () => {
      const admin = new Redis(REDIS_URL);
      await deleteKeys(admin, `${prefix}:*`);
      admin.disconnect();
    });

    // Before clients were adapted, a node-redis client was accepted by the constructor and the
    // first find failed with "this.client.getBuffer is not a function" (as StoreUnavailableError).
    it('serves find, update and revoke-all through the node-redis client', async () => {
      const client = await connectNodeRedis(REDIS_URL);
      const store = new RedisStore({ client, prefix });
      try {
        const id = randomId();
        const record = makeRecord({ userId: 'alice', data: new Uint8Array([0, 255, 1, 128]) });
        const created = await store.create(id, record);
        expect(created.ok).toBe(true);
        const found = await store.find(id);
        expect(found?.data).toEqual(record.data);
        const changes = makeUpdate({ userId: 'alice' });
        const updated = await store.update(id, changes, {
          expectedVersion: created.ok ? created.version : -1,
        });
        expect(updated.ok).toBe(true);
        expect((await store.find(id))?.data).toEqual(changes.data);
        expect((await store.listByUser('alice')).map((s) => s.id)).toEqual([id]);
        expect(await store.deleteByUser('alice')).toBe(1);
        expect(await store.find(id)).toBeNull();
      } finally {
        await store.close();
        client.destroy();
      }
    });
  });
}
