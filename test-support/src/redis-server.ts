import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';

export interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** SIGKILL, the way a crashed or OOM-killed server goes away. */
  kill(): Promise<void>;
}

/**
 * Starts the installed `redis-server` in the foreground as a child of the test, on `port` and
 * 127.0.0.1 only, in `dir`, without persistence unless `extraArgs` turn it on; resolves once
 * it answers PING.
 */
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A missing binary is an 'error' event (and no 'exit'): without a listener it would throw.
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  failed.catch(() => {});
  // If the test process dies without its afterAll, the server must not outlive it.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  exited.then(() => process.off('exit', reap));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await Promise.race([waitForPing(port, 10_000), failed]);
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
