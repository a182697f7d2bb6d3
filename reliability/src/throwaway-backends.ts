import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@hallpass/core';
import { MongoStore } from '@hallpass/mongodb';
import { MysqlStore } from '@hallpass/mysql';
import { PostgresStore } from '@hallpass/postgres';
import { RedisStore } from '@hallpass/redis';
import {
  createThrowawayMariadb,
  createThrowawayPostgres,
  freePort,
  throwawayMariadbUnsupported as mariadbUnsupported,
  type RedisProcess,
  startRedisServer,
  throwawayPostgresUnsupported as throwawayUnsupported,
} from '@hallpass/test-support';
import { MongoWireServer } from '../../packages/mongodb/test/server/index.js';
import { uniqueName } from './servers.js';

/**
 * A backend server the test owns and may kill: never the machine's shared PostgreSQL or Redis.
 * The start/stop helpers are @hallpass/test-support's (MongoDB's wire server is imported from
 * its package by path, not copied).
 */
export interface ThrowawayBackend {
  name: string;
  /** Kills the server the way a crash does; what it had committed must survive a restart. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** A store on it, configured to fail fast while it is away. */
  store(): Store;
  destroy(): Promise<void>;
}

export interface BackendKind {
  name: string;
  /** Why it cannot be made on this machine, or undefined. */
  unsupported(): string | undefined;
  create(): Promise<ThrowawayBackend>;
}

export const postgresBackend: BackendKind = {
  name: 'postgres',
  unsupported: throwawayUnsupported,
  async create() {
    const server = await createThrowawayPostgres();
    await server.start();
    return {
      name: 'postgres',
      kill: () => server.crash(),
      restart: () => server.start(),
      store: () =>
        new PostgresStore({
          connectionString: server.url,
          ensureSchema: true,
          cleanupIntervalMs: 0,
          poolConfig: { connectionTimeoutMillis: 1_000 },
        }),
      destroy: () => server.destroy(),
    };
  },
};

export const mysqlBackend: BackendKind = {
  name: 'mysql',
  unsupported: mariadbUnsupported,
  async create() {
    const server = await createThrowawayMariadb();
    await server.start();
    return {
      name: 'mysql',
      kill: () => server.crash(),
      restart: () => server.start(),
      store: () =>
        new MysqlStore({
          uri: server.url,
          ensureSchema: true,
          cleanupIntervalMs: 0,
          poolOptions: { connectTimeout: 1_000 },
        }),
      destroy: () => server.destroy(),
    };
  },
};

export const redisBackend: BackendKind = {
  name: 'redis',
  unsupported: () => undefined,
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'hallpass-rel-redis-'));
    const port = await freePort();
    // An append-only file synced on every write: committed sessions survive a SIGKILL, as
    // they do on a production Redis configured for durability.
    const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];
    let process: RedisProcess = await startRedisServer(port, dir, durable);
    return {
      name: 'redis',
      kill: () => process.kill(),
      async restart() {
        process = await startRedisServer(port, dir, durable);
      },
      store: () =>
        new RedisStore({ url: `redis://127.0.0.1:${port}`, prefix: uniqueName('outage') }),
      async destroy() {
        await process.kill();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

export const mongodbBackend: BackendKind = {
  name: 'mongodb (wire test server)',
  unsupported: () => undefined,
  async create() {
    const server = new MongoWireServer();
    const url = await server.start();
    return {
      name: 'mongodb',
      kill: () => server.stop(),
      restart: async () => {
        await server.start();
      },
      store: () => new MongoStore({ url, databaseName: uniqueName('outage') }),
      destroy: () => server.stop(),
    };
  },
};
