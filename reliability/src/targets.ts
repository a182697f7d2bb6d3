import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { MongoStore } from '@hallpass/mongodb';
import { MysqlStore } from '@hallpass/mysql';
import { PostgresStore } from '@hallpass/postgres';
import { RedisStore } from '@hallpass/redis';
import { SqliteStore } from '@hallpass/sqlite';
import { startRedisCluster } from '@hallpass/test-support';
import { CachedStore } from '@hallpass/tiered';
import { MongoWireServer } from '../../packages/mongodb/test/server/index.js';
import {
  deleteRedisPrefix,
  dropPostgresSchema,
  HOW_TO_START,
  mysqlAdmin,
  mysqlDatabaseUrl,
  mysqlReachable,
  POSTGRES_URL,
  postgresReachable,
  REDIS_URL,
  redisReachable,
  uniqueName,
} from './servers.js';

/** A store on its own isolated namespace, and how to remove everything it wrote. */
export interface StoreUnderTest {
  store: Store;
  dispose(): Promise<void>;
}

export interface Target {
  name: string;
  /** Why the backend is unreachable (with how to start it), or undefined when it is there. */
  unavailable(): Promise<{ reason: string; howToStart: string } | undefined>;
  open(): Promise<StoreUnderTest>;
}

const always = async () => undefined;

/** Every store the soak runs against, each on a namespace no other run uses. */
export const targets: Target[] = [
  {
    name: 'memory',
    unavailable: always,
    async open() {
      const store = new MemoryStore();
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'sqlite',
    unavailable: always,
    async open() {
      const filename = join(tmpdir(), `${uniqueName('sqlite')}.db`);
      const store = new SqliteStore({ filename, cleanupIntervalMs: 0 });
      return {
        store,
        async dispose() {
          await store.close();
          for (const suffix of ['', '-wal', '-shm']) await rm(filename + suffix, { force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    unavailable: async () => {
      const reason = await postgresReachable();
      return reason ? { reason, howToStart: HOW_TO_START.postgres } : undefined;
    },
    async open() {
      const schema = uniqueName('pg');
      const store = new PostgresStore({
        connectionString: POSTGRES_URL,
        schema,
        ensureSchema: true,
        cleanupIntervalMs: 0,
      });
      return {
        store,
        async dispose() {
          await store.close();
          await dropPostgresSchema(schema);
        },
      };
    },
  },
  {
    name: 'mysql',
    unavailable: async () => {
      const reason = await mysqlReachable();
      return reason ? { reason, howToStart: HOW_TO_START.mysql } : undefined;
    },
    async open() {
      const database = uniqueName('mysql');
      await mysqlAdmin(`CREATE DATABASE \`${database}\``);
      const store = new MysqlStore({
        uri: mysqlDatabaseUrl(database),
        ensureSchema: true,
        cleanupIntervalMs: 0,
      });
      return {
        store,
        async dispose() {
          await store.close();
          await mysqlAdmin(`DROP DATABASE IF EXISTS \`${database}\``);
        },
      };
    },
  },
  {
    name: 'redis',
    unavailable: async () => {
      const reason = await redisReachable();
      return reason ? { reason, howToStart: HOW_TO_START.redis } : undefined;
    },
    async open() {
      const prefix = uniqueName('redis');
      const store = new RedisStore({ url: REDIS_URL, prefix });
      return {
        store,
        async dispose() {
          await store.close();
          await deleteRedisPrefix(prefix);
        },
      };
    },
  },
  {
    // A real 3-master cluster on throwaway redis-server processes: sessions and per-user
    // indexes land on different nodes, as in production.
    name: 'redis cluster (3 masters)',
    unavailable: always,
    async open() {
      const cluster = await startRedisCluster(3);
      const store = new RedisStore({
        cluster: { nodes: cluster.nodes },
        prefix: uniqueName('cluster'),
      });
      return {
        store,
        async dispose() {
          await store.close();
          await cluster.stop();
        },
      };
    },
  },
  {
    // No mongod on this machine: the in-process wire-protocol server of @hallpass/mongodb's
    // tests, which the real driver talks to over TCP.
    name: 'mongodb (wire test server)',
    unavailable: always,
    async open() {
      const server = new MongoWireServer();
      const url = await server.start();
      const store = new MongoStore({ url, databaseName: uniqueName('mongo') });
      return {
        store,
        async dispose() {
          await store.close();
          await server.stop();
        },
      };
    },
  },
  {
    name: 'tiered (cache over redis)',
    unavailable: async () => {
      const reason = await redisReachable();
      return reason ? { reason, howToStart: HOW_TO_START.redis } : undefined;
    },
    async open() {
      const prefix = uniqueName('tiered');
      const store = new CachedStore(new RedisStore({ url: REDIS_URL, prefix }), {
        closeInner: true,
      });
      return {
        store,
        async dispose() {
          await store.close();
          await deleteRedisPrefix(prefix);
        },
      };
    },
  },
];
