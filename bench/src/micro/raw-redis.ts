import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { DATA, type MicroDriver, TTL_MS } from './drivers.ts';

const value = Buffer.from(DATA);

/** ioredis with the given options (default options, or auto-pipelining on). */
export async function ioredisDriver(
  url: string,
  prefix: string,
  autoPipelining: boolean,
): Promise<MicroDriver> {
  const client = new Redis(url, { enableAutoPipelining: autoPipelining, lazyConnect: true });
  await client.connect();
  const key = (id: string) => `${prefix}:${id}`;
  return {
    find: (id) => client.getBuffer(key(id)),
    create: (id) => client.set(key(id), value, 'PX', TTL_MS, 'NX'),
    update: (id) => client.set(key(id), value, 'PX', TTL_MS, 'XX'),
    touch: (id) => client.pexpire(key(id), TTL_MS),
    delete: (id) => client.del(key(id)),
    close: async () => void (await client.quit()),
  };
}

/** node-redis, which pipelines concurrent commands on its own. */
export async function nodeRedisDriver(url: string, prefix: string): Promise<MicroDriver> {
  const client = createClient({ url });
  await client.connect();
  const key = (id: string) => `${prefix}:${id}`;
  return {
    find: (id) => client.get(key(id)),
    create: (id) => client.set(key(id), value, { PX: TTL_MS, NX: true }),
    update: (id) => client.set(key(id), value, { PX: TTL_MS, XX: true }),
    touch: (id) => client.pExpire(key(id), TTL_MS),
    delete: (id) => client.del(key(id)),
    close: async () => void (await client.close()),
  };
}
