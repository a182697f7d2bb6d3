import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** Debian's server binaries; HALLPASS_MARIADBD and HALLPASS_MARIADB_INSTALL_DB override. */
const MARIADBD = process.env.HALLPASS_MARIADBD ?? '/usr/sbin/mariadbd';
const INSTALL_DB = process.env.HALLPASS_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db';

/**
 * A MariaDB server this test owns: its own data directory and port, started and killed at
 * will, so a fault test never touches the machine's shared server.
 */
export interface ThrowawayMariadb {
  /** `mysql://root@127.0.0.1:<port>/hallpass`. */
  readonly url: string;
  /** Starts (or restarts) the server on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills the server the way a crash would (SIGKILL). */
  crash(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/** Why a throwaway server cannot be made here, or undefined if it can. */
export function throwawayUnsupported(): string | undefined {
  if (!existsSync(MARIADBD) || !existsSync(INSTALL_DB)) {
    return `${MARIADBD} or ${INSTALL_DB} not found (on Debian: apt-get install mariadb-server)`;
  }
  return undefined;
}

export async function createThrowawayMariadb(): Promise<ThrowawayMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-mariadb-'));
  const data = join(dir, 'data');
  const port = await freePort();
  // mariadbd refuses to run as root unless told to; the files are the test's own anyway.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(INSTALL_DB, [
    '--no-defaults',
    `--datadir=${data}`,
    '--skip-test-db',
    '--auth-root-authentication-method=normal',
    ...user,
  ]);
  // Small buffers and no durability: only the server process dies in the test, never the
  // machine, and two cores are shared with the rest of the suite.
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    // Any client is root on this loopback-only throwaway, whatever host name 127.0.0.1 maps to.
    '--skip-grant-tables',
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=16M',
    '--innodb-log-file-size=8M',
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-log-bin',
    ...user,
  ];
  const url = `mysql://root@127.0.0.1:${port}/hallpass`;
  let server: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const kill = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    server = undefined;
  };

  return {
    url,
    async start() {
      server = spawn(MARIADBD, args, { stdio: 'ignore' });
      const child = server;
      exited = new Promise((resolve) => child.once('exit', () => resolve()));
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) {
          throw new Error(`mariadbd exited with ${child.exitCode}; see ${join(dir, 'error.log')}`);
        }
        try {
          const connection = await mysql.createConnection({
            host: '127.0.0.1',
            port,
            user: 'root',
            connectTimeout: 1_000,
          });
          await connection.query('CREATE DATABASE IF NOT EXISTS hallpass');
          await connection.end();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    crash: kill,
    async destroy() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
