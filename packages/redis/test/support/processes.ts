import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port nobody listens on right now (and, if asked, port + 10000 too, for the cluster bus). */
export async function freePort(withBus = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindAndRelease(0);
    if (port > 55_000 && withBus) continue;
    if (!withBus || (await isFree(port + 10_000))) return port;
  }
  throw new Error('no free port found');
}

function bindAndRelease(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : port));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  try {
    await bindAndRelease(port);
    return true;
  } catch {
    return false;
  }
}

export interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** SIGKILL, the way a crashed or OOM-killed server goes away. */
  kill(): Promise<void>;
}

/** Starts `redis-server` in the foreground as a child of the test, without persistence. */
export async function startRedisServer(
  port: number,
  dir: string,
  extraArgs: string[] = [],
): Promise<RedisProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  // If the test process dies without its afterAll, the server must not outlive it.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  exited.then(() => process.off('exit', reap));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitForPing(port, 10_000);
  } catch (error) {
    await kill();
    throw new Error(`redis-server on port ${port} did not start: ${stderr || String(error)}`);
  }
  return { port, child, kill };
}

/** Resolves once a server on `port` answers PING. */
export async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
