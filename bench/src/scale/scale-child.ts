/**
 * The scale checks for one backend, in their own process so its RSS is the store's alone:
 * revoke-all for one user with a small and a large total, then iterating every session of
 * the large total while sampling RSS.
 */

import type { Store } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Database from 'better-sqlite3';
import {
  type BackendEnv,
  NotAvailableError,
  requireExport,
  type StoreClass,
} from '../backends/types.ts';
import { fail, reply } from '../infra/child.ts';
import type { ScaleResult } from '../results.ts';
import { median } from '../stats.ts';
import { type BulkTarget, bulkInsert, sqliteFile } from './bulk.ts';

export interface ScaleConfig {
  backend: string;
  env: BackendEnv;
  small: number;
  large: number;
}

const USERS = 250_000;
const TARGET_USER = 'revoke-me';
const TARGET_SESSIONS = 10;
const DATA = new TextEncoder().encode('hp1:[{"deadline":1,"values":2},9999999999999,{}]');

type ScaleStore = Store & Required<Pick<Store, 'deleteByUser' | 'iterate' | 'close'>>;

async function open(
  config: ScaleConfig,
): Promise<{ store: ScaleStore; target: BulkTarget; close(): Promise<void> }> {
  const { env, backend } = config;
  const ns = `scale_${env.namespace}`;
  if (backend === 'memory') {
    // The scale runs hold up to a million sessions: past the default bound of 100 000.
    const store = new MemoryStore({
      sweepIntervalMs: 0,
      maxSessions: Number.POSITIVE_INFINITY,
    }) as ScaleStore;
    return { store, target: { backend, env }, close: () => store.close() };
  }
  if (backend === 'postgres') {
    const PostgresStore = await requireExport<StoreClass>('@hallpass/postgres', 'PostgresStore');
    const store = new PostgresStore({
      connectionString: env.postgresUrl,
      table: ns,
      ensureSchema: true,
    }) as ScaleStore;
    await store.find('warm-up');
    return { store, target: { backend, env, table: ns }, close: () => store.close() };
  }
  if (backend === 'sqlite') {
    const SqliteStore = await requireExport<StoreClass>('@hallpass/sqlite', 'SqliteStore');
    const file = sqliteFile(env, ns);
    const database = new Database(file);
    database.pragma('journal_mode = WAL');
    const store = new SqliteStore({ database, table: ns }) as ScaleStore;
    return {
      store,
      target: { backend, env, table: ns, file },
      close: async () => {
        await store.close();
        database.close();
      },
    };
  }
  if (backend === 'redis') {
    const RedisStore = await requireExport<StoreClass>('@hallpass/redis', 'RedisStore');
    const store = new RedisStore({ url: env.redisUrl, prefix: ns }) as ScaleStore;
    return { store, target: { backend, env, prefix: ns }, close: () => store.close() };
  }
  if (backend === 'mysql') {
    const MysqlStore = await requireExport<StoreClass>('@hallpass/mysql', 'MysqlStore');
    const store = new MysqlStore({
      uri: env.mysqlUrl,
      table: ns,
      ensureSchema: true,
    }) as ScaleStore;
    await store.find('warm-up');
    return { store, target: { backend, env, table: ns }, close: () => store.close() };
  }
  if (backend === 'redis-cluster') {
    // Same keys and scripts as standalone Redis, spread over nodes; DEBUG POPULATE (the bulk
    // fill) works per node only, so the scale checks run on standalone Redis.
    throw new NotAvailableError('scale checks run on standalone Redis (same keys and scripts)');
  }
  throw new Error(`no scale check for ${backend}`);
}

async function seed(store: ScaleStore, target: BulkTarget, from: number, count: number) {
  if (target.backend !== 'memory')
    return bulkInsert(target, from, count, { expired: false, users: USERS });
  const now = Date.now();
  for (let i = from; i < from + count; i++) {
    await store.create(`bulk${i}`, {
      data: DATA,
      expiresAt: now + 86_400_000,
      userId: `bulkuser${i % USERS}`,
      createdAt: now,
      lastSeenAt: now,
    });
  }
}

/** Median time of revoking a user's ten sessions, over five repetitions. */
async function revokeAll(store: ScaleStore): Promise<number> {
  const times: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const now = Date.now();
    for (let i = 0; i < TARGET_SESSIONS; i++) {
      await store.create(`target${rep}x${i}`, {
        data: DATA,
        expiresAt: now + 86_400_000,
        userId: TARGET_USER,
        createdAt: now,
        lastSeenAt: now,
      });
    }
    const started = performance.now();
    const removed = await store.deleteByUser(TARGET_USER);
    times.push(performance.now() - started);
    if (removed !== TARGET_SESSIONS)
      throw new Error(`revoke-all removed ${removed}, expected ${TARGET_SESSIONS}`);
  }
  return median(times);
}

/**
 * Walks every session. Every 50,000 sessions a forced GC precedes the memory sample, so the
 * figures show what iteration keeps alive (bounded by one page), not garbage not yet collected.
 */
async function iterateAll(store: ScaleStore): Promise<Record<string, number>> {
  const gc = globalThis.gc ?? (() => {});
  gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let count = 0;
  const started = performance.now();
  for await (const _session of store.iterate({ pageSize: 1000 })) {
    if (++count % 50_000 === 0) {
      gc();
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    sessions: count,
    seconds,
    rssBeforeMiB: before.rss / 2 ** 20,
    rssGrowthMiB: (peakRss - before.rss) / 2 ** 20,
    heapGrowthAfterGcMiB: (peakHeap - before.heapUsed) / 2 ** 20,
  };
}

async function main(config: ScaleConfig): Promise<void> {
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(config);
  } catch (error) {
    if (error instanceof NotAvailableError) {
      reply({ type: 'unavailable', reason: error.message });
      return;
    }
    throw error;
  }
  const { store, target } = opened;
  const results: ScaleResult[] = [];
  await seed(store, target, 0, config.small);
  const smallMs = await revokeAll(store);
  let started = performance.now();
  await seed(store, target, config.small, config.large - config.small);
  const seedSeconds = (performance.now() - started) / 1000;
  const largeMs = await revokeAll(store);
  results.push({
    check: 'revoke-all (10 sessions of one user)',
    backend: config.backend,
    [`ms at ${config.small.toLocaleString('en-US')} sessions`]: smallMs,
    [`ms at ${config.large.toLocaleString('en-US')} sessions`]: largeMs,
    'large / small': largeMs / smallMs,
  });
  if (config.backend !== 'redis') {
    started = performance.now();
    const iteration = await iterateAll(store);
    results.push({
      check: `iterate all sessions (${config.large.toLocaleString('en-US')} seeded)`,
      backend: config.backend,
      ...iteration,
    });
  }
  reply({ type: 'log', line: `seeded ${config.large} in ${seedSeconds.toFixed(1)} s` });
  await opened.close();
  reply({ type: 'results', results });
}

process.on('unhandledRejection', fail);
main(JSON.parse(process.argv[2] ?? '{}') as ScaleConfig).catch(fail);
