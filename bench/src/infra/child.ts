import { type ChildProcess, fork } from 'node:child_process';

/** A message from a bench child process: always an object with a `type`. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * A forked bench child (server, load generator, microbenchmark) spoken to over IPC.
 * Each request waits for the next message of the expected type; if the child dies first
 * the wait rejects with its exit code and stderr tail, so a crash fails the run loudly.
 */
export class Child {
  readonly process: ChildProcess;
  readonly #queue: ChildMessage[] = [];
  readonly #waiters: Array<{
    types: string[];
    resolve: (message: ChildMessage) => void;
    reject: (error: Error) => void;
  }> = [];
  #stderr = '';
  #exit: Error | null = null;

  constructor(script: string, args: string[] = [], execArgv: string[] = []) {
    this.process = fork(script, args, {
      execArgv: ['--disable-warning=ExperimentalWarning', ...execArgv],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.process.on('message', (message) => this.#deliver(message as ChildMessage));
    // A child that already left makes IPC writes fail; its exit is reported below instead.
    this.process.on('error', () => {});
    this.process.on('exit', (code, signal) => {
      this.#exit = new Error(
        `${script} exited (${signal ?? code}) ${this.#stderr ? `\n${this.#stderr}` : ''}`,
      );
      for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#exit);
    });
  }

  get stderr(): string {
    return this.#stderr;
  }

  send(message: ChildMessage): void {
    this.process.send(message);
  }

  /** The next message of `type` (or one of them); an `error` message from the child rejects instead. */
  next(type: string | string[], timeoutMs = 600_000): Promise<ChildMessage> {
    const types = Array.isArray(type) ? type : [type];
    const queued = this.#queue.findIndex((m) => types.includes(m.type) || m.type === 'error');
    if (queued >= 0) return settle(this.#queue.splice(queued, 1)[0] as ChildMessage);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for "${types}" from child\n${this.#stderr}`));
      }, timeoutMs);
      this.#waiters.push({
        types,
        resolve: (message) => {
          clearTimeout(timer);
          settle(message).then(resolve, reject);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  async request(message: ChildMessage, replyType: string | string[], timeoutMs?: number) {
    const reply = this.next(replyType, timeoutMs);
    this.send(message);
    return reply;
  }

  /** Asks the child to stop, then waits for it to exit (killing it if it will not). */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.process.send({ type: 'stop' }, () => {});
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  #deliver(message: ChildMessage): void {
    const index = this.#waiters.findIndex(
      (w) => w.types.includes(message.type) || message.type === 'error',
    );
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(message);
    } else {
      this.#queue.push(message);
    }
  }
}

function settle(message: ChildMessage): Promise<ChildMessage> {
  if (message.type === 'error') return Promise.reject(new Error(String(message.message)));
  return Promise.resolve(message);
}

/** Child side: reply to the parent. */
export function reply(message: ChildMessage): void {
  process.send?.(message);
}

/** Child side: report a failure to the parent, then exit non-zero. */
export function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.exitCode = 1;
  if (process.send) process.send({ type: 'error', message }, () => process.exit(1));
  else process.exit(1);
}
