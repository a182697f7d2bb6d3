/**
 * The store microbenchmark of one backend, in its own process. Every client (the hallpass store
 * and the raw drivers) runs create, find, update, touch and delete, first one call at a time,
 * then with `concurrency` calls in flight. Clients take turns, repetition after repetition, so
 * a noisy moment on the machine hits them alike; each figure is the median of the repetitions.
 * A measurement stops after `budgetMs` or `maxOps` calls, whichever comes first.
 */
import { randomBytes } from 'node:crypto';
import { contenderById } from '../backends/index.ts';
import { type BackendEnv, NotAvailableError } from '../backends/types.ts';
import { fail, reply } from '../infra/child.ts';
import type { MicroResult } from '../results.ts';
import { median } from '../stats.ts';
import { type MicroDriver, type MicroOp, OPS } from './drivers.ts';
import { hallpassDriver } from './hallpass-driver.ts';
import { ioredisDriver, nodeRedisDriver } from './raw-redis.ts';
import { emptyWal, pgDriver, sqliteDriver } from './raw-sql.ts';

export interface MicroConfig {
  backend: string;
  clients: string[];
  env: BackendEnv;
  maxOps: number;
  budgetMs: number;
  repetitions: number;
  warmup: boolean;
  concurrency: number;
}

async function driverFor(config: MicroConfig, client: string, n: number): Promise<MicroDriver> {
  const env = { ...config.env, namespace: `${config.env.namespace}_${n}` };
  const ns = `micro_${env.namespace}`;
  switch (client) {
    case 'hallpass':
    case 'hallpass (node-redis)': {
      const id = client === 'hallpass' ? 'hallpass' : 'hallpass-node-redis';
      const built = await contenderById(`${config.backend}/${id}`).build(env);
      if (built.library !== 'hallpass') throw new Error('not a hallpass contender');
      const { sqlite } = built;
      return {
        ...hallpassDriver(built.store),
        ...(sqlite && { settle: () => emptyWal(sqlite) }),
        close: () => built.close(),
      };
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

/** Calls `call` on ids in order until they run out or the deadline passes; returns how many. */
async function drive(
  ids: string[],
  call: (id: string) => Promise<unknown>,
  width: number,
  deadline: number,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length && performance.now() < deadline) await call(ids[next++] as string);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return next;
}

/** One pass of the five operations in one mode: ops/s per operation. */
async function pass(driver: MicroDriver, config: MicroConfig, width: number) {
  const rates = new Map<MicroOp, number>();
  let ids = Array.from({ length: config.maxOps }, () => randomBytes(32).toString('base64url'));
  for (const op of OPS) {
    driver.settle?.();
    const started = performance.now();
    const done = await drive(ids, (id) => driver[op](id), width, started + config.budgetMs);
    rates.set(op, done / ((performance.now() - started) / 1000));
    // The later operations work on the sessions create managed to make in its time.
    if (op === 'create') ids = ids.slice(0, done);
  }
  return rates;
}

async function main(config: MicroConfig): Promise<void> {
  const drivers: Array<{ client: string; driver: MicroDriver }> = [];
  for (const [n, client] of config.clients.entries()) {
    try {
      drivers.push({ client, driver: await driverFor(config, client, n) });
    } catch (error) {
      if (error instanceof NotAvailableError) {
        reply({ type: 'unavailable', reason: error.message });
        for (const d of drivers) await d.driver.close();
        return;
      }
      throw error;
    }
  }
  const samples = new Map<string, number[]>();
  const modes = [
    ['sequential', 1],
    ['concurrent', config.concurrency],
  ] as const;
  // Repetition 0 is the warm-up and is discarded (the smoke test has none).
  for (let rep = config.warmup ? 0 : 1; rep <= config.repetitions; rep++) {
    for (const { client, driver } of drivers) {
      for (const [mode, width] of modes) {
        const rates = await pass(driver, config, width);
        if (rep === 0) continue;
        for (const [op, rate] of rates) {
          const key = JSON.stringify([client, op, mode]);
          samples.set(key, [...(samples.get(key) ?? []), rate]);
        }
      }
    }
  }
  for (const d of drivers) await d.driver.close();
  const results: MicroResult[] = [...samples].map(([key, rates]) => {
    const [client, op, mode] = JSON.parse(key) as [string, MicroOp, MicroResult['mode']];
    return { backend: config.backend, client, op, mode, opsPerSec: median(rates) };
  });
  reply({ type: 'results', results });
}

process.on('unhandledRejection', fail);
main(JSON.parse(process.argv[2] ?? '{}') as MicroConfig).catch(fail);
