import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { type RedisProcess, startRedisServer } from './redis-server.js';

const run = promisify(execFile);

export interface ThrowawayRedisCluster {
  readonly nodes: Array<{ host: string; port: number }>;
  /** SIGKILLs master `index` (its slots become unserved). */
  kill(index: number): Promise<void>;
  /** Starts master `index` again on its port with its nodes.conf, and waits for state ok. */
  restart(index: number): Promise<void>;
  /** Kills every server and removes the directory. */
  stop(): Promise<void>;
}

const nodeArgs = (dir: string, port: number) => [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  join(dir, `nodes-${port}.conf`),
  '--cluster-node-timeout',
  '5000',
];

/**
 * A real Redis Cluster of `masters` masters (no replicas) from the installed redis-server and
 * redis-cli, on free ports, in a temporary directory: started, joined with `redis-cli
 * --cluster create`, and awaited until every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<ThrowawayRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-redis-cluster-'));
  const servers: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort({ clusterBus: true });
      servers.push(await startRedisServer(port, dir, nodeArgs(dir, port)));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const ports = servers.map((server) => server.port);
    await waitForClusterOk(ports);
    return {
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      kill: (index) => servers[index]!.kill(),
      async restart(index) {
        const port = ports[index]!;
        servers[index] = await startRedisServer(port, dir, nodeArgs(dir, port));
        await waitForClusterOk(ports);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves once every node on `ports` reports cluster_state:ok with all 16384 slots assigned. */
export async function waitForClusterOk(
  ports: readonly number[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    const node = new Redis({ port, host: '127.0.0.1' });
    try {
      for (;;) {
        const info = await node.cluster('INFO');
        if (/cluster_state:ok/.test(info) && /cluster_slots_assigned:16384/.test(info)) break;
        if (Date.now() > deadline) throw new Error(`cluster node ${port} never reached state ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      node.disconnect();
    }
  }
}
