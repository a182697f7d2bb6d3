import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Throwaway database servers on free ports, started for one bench run and removed after it,
 * so the benchmark never touches (or is disturbed by) the machine's shared instances.
 */
export interface ThrowawayServer {
  url: string;
  stop(): Promise<void>;
}

const PG_BIN_DIRS = [
  '/usr/lib/postgresql/17/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/15/bin',
];

function findBinary(name: string, dirs: string[] = []): string | null {
  for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function waitForPort(port: number, proc: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with code ${proc.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start listening on port ${port} within 30 s`);
}

/** Every server started by this process, killed on exit even if the run crashes. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

function track(proc: ChildProcess): ChildProcess {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  return proc;
}

function stopProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

/**
 * A throwaway redis-server, started by the workspace's test helper (`startRedisServer` of
 * @hallpass/test-support: no persistence, loopback only, killed with the process). The
 * benchmark measures the session layer, not RDB/AOF writes; DEBUG POPULATE (local connections
 * only) lets the scale check fill a million keys in a second.
 */
export async function startRedis(): Promise<ThrowawayServer> {
  if (!findBinary('redis-server')) {
    throw new Error('redis-server not found: install it (apt-get install redis-server)');
  }
  const { freePort, startRedisServer } = await testSupport();
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-bench-redis-'));
  const port = await freePort();
  const server = await startRedisServer(port, dir, ['--enable-debug-command', 'local']);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await server.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  // PostgreSQL refuses to run as root: run the throwaway cluster as the postgres user.
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgres(): Promise<ThrowawayServer> {
  const initdb = findBinary('initdb', PG_BIN_DIRS);
  const postgres = findBinary('postgres', PG_BIN_DIRS);
  if (!initdb || !postgres) {
    throw new Error('PostgreSQL binaries (initdb, postgres) not found: apt-get install postgresql');
  }
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-bench-pg-'));
  const user = postgresUser();
  if (user) await chown(dir, user.uid, user.gid);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const data = join(dir, 'data');
  execFileSync(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    stdio: 'ignore',
    ...ids,
  });
  const port = await (await testSupport()).freePort();
  // Server defaults otherwise (fsync and synchronous_commit on): what production runs.
  const proc = track(
    spawn(
      postgres,
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
      ],
      { stdio: 'ignore', ...ids },
    ),
  );
  await waitForPort(port, proc, 'postgres');
  // The port opens slightly before the server accepts queries.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await stopProcess(proc, 'SIGINT');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * MariaDB (or a MySQL-compatible mariadbd) with a data directory of its own. Grant tables are
 * skipped (root without a password, loopback only); durability settings are the server's
 * defaults, as production runs them.
 */
export async function startMariadb(): Promise<ThrowawayServer> {
  const installDb = findBinary('mariadb-install-db', ['/usr/bin']);
  const mariadbd = findBinary('mariadbd', ['/usr/sbin']);
  if (!installDb || !mariadbd) {
    throw new Error(
      'MariaDB binaries (mariadb-install-db, mariadbd) not found: apt-get install mariadb-server',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-bench-mariadb-'));
  const data = join(dir, 'data');
  // mariadbd refuses to run as root unless told to; the files are this run's own anyway.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  execFileSync(installDb, ['--no-defaults', `--datadir=${data}`, '--skip-test-db', ...user], {
    stdio: 'ignore',
  });
  const port = await (await testSupport()).freePort();
  const proc = track(
    spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--skip-log-bin',
        '--max-connections=200',
        ...user,
      ],
      { stdio: 'ignore' },
    ),
  );
  await waitForPort(port, proc, 'mariadbd');
  // The port opens slightly before the server accepts queries; the database is made then.
  const mysql = await import('mysql2/promise');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      await connection.query('CREATE DATABASE IF NOT EXISTS bench');
      await connection.end();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url: `mysql://root@127.0.0.1:${port}/bench`,
    stop: async () => {
      await stopProcess(proc, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway 3-master Redis Cluster, started by the workspace's test helper. */
export async function startRedisCluster(): Promise<
  ThrowawayServer & { nodes: Array<{ host: string; port: number }> }
> {
  if (!findBinary('redis-server') || !findBinary('redis-cli')) {
    throw new Error(
      'redis-server / redis-cli not found: install them (apt-get install redis-server)',
    );
  }
  const cluster = await (await testSupport()).startRedisCluster(3);
  const [first] = cluster.nodes;
  return {
    nodes: cluster.nodes,
    url: `redis://${first?.host}:${first?.port}`,
    stop: () => cluster.stop(),
  };
}

let tsResolveRegistered = false;

/**
 * The workspace's test helpers (@hallpass/test-support), imported, not copied. Its sources are
 * TypeScript whose `.js` import specifiers name `.ts` files: Node's type stripping loads them
 * once a resolve hook maps those, and a hook only applies to imports after it, hence the
 * dynamic import.
 */
async function testSupport() {
  if (!tsResolveRegistered) {
    tsResolveRegistered = true;
    registerHooks({
      resolve(specifier, context, next) {
        try {
          return next(specifier, context);
        } catch (error) {
          if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
          return next(`${specifier.slice(0, -3)}.ts`, context);
        }
      },
    });
  }
  return import('@hallpass/test-support');
}
