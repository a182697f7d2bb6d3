/**
 * One client of the store microbenchmark in its own process: creates, finds, updates, touches
 * and deletes fresh ids, first one at a time, then with `concurrency` calls in flight, after a
 * discarded warm-up of each. Reports ops/s per operation and mode.
 */
import { randomBytes } from 'node:crypto';
import { contenderById } from '../backends/index.ts';
import { type BackendEnv, NotAvailableError } from '../backends/types.ts';
import { fail, reply } from '../infra/child.ts';
import type { MicroResult } from '../results.ts';
import type { MicroDriver } from './drivers.ts';
import { OPS } from './drivers.ts';
import { hallpassDriver } from './hallpass-driver.ts';
import { ioredisDriver, nodeRedisDriver } from './raw-redis.ts';
import { pgDriver, sqliteDriver } from './raw-sql.ts';

export interface MicroConfig {
  backend: string;
  client: string;
  env: BackendEnv;
  ops: number;
  concurrency: number;
}

async function driverFor(config: MicroConfig): Promise<MicroDriver> {
  const { env, client, backend } = config;
  const ns = `micro_${env.namespace}`;
  switch (client) {
    case 'hallpass': {
      const built = await contenderById(`${backend}/hallpass`).build(env);
      if (built.library !== 'hallpass') throw new Error('not a hallpass contender');
      const driver = hallpassDriver(built.store);
      return { ...driver, close: () => built.close() };
    }
    case 'ioredis':
      return ioredisDriver(env.redisUrl as string, ns, false);
    case 'ioredis (auto-pipelining)':
      return ioredisDriver(env.redisUrl as string, ns, true);
    case 'node-redis':
      return nodeRedisDriver(env.redisUrl as string, ns);
    case 'pg':
      return pgDriver(env.postgresUrl as string, ns);
    case 'better-sqlite3':
      return sqliteDriver(env.dataDir, ns);
    default:
      throw new Error(`unknown micro client ${client}`);
  }
}

function freshIds(count: number): string[] {
  return Array.from({ length: count }, () => randomBytes(32).toString('base64url'));
}

async function sequential(ids: string[], call: (id: string) => Promise<unknown>) {
  for (const id of ids) await call(id);
}

async function concurrent(ids: string[], call: (id: string) => Promise<unknown>, width: number) {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await call(ids[next++] as string);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function measure(driver: MicroDriver, config: MicroConfig, count: number, record: boolean) {
  const results: MicroResult[] = [];
  for (const mode of ['sequential', 'concurrent'] as const) {
    const ids = freshIds(count);
    for (const op of OPS) {
      const call = (id: string) => driver[op](id);
      const started = process.hrtime.bigint();
      if (mode === 'sequential') await sequential(ids, call);
      else await concurrent(ids, call, config.concurrency);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (record) {
        results.push({
          backend: config.backend,
          client: config.client,
          op,
          mode,
          opsPerSec: count / seconds,
        });
      }
    }
  }
  return results;
}

async function main(config: MicroConfig): Promise<void> {
  let driver: MicroDriver;
  try {
    driver = await driverFor(config);
  } catch (error) {
    if (error instanceof NotAvailableError) {
      reply({ type: 'unavailable', reason: error.message });
      return;
    }
    throw error;
  }
  await measure(driver, config, Math.max(50, Math.floor(config.ops / 5)), false);
  const results = await measure(driver, config, config.ops, true);
  await driver.close();
  reply({ type: 'results', results });
}

process.on('unhandledRejection', fail);
main(JSON.parse(process.argv[2] ?? '{}') as MicroConfig).catch(fail);
