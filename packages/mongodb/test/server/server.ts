/**
 * An in-process MongoDB wire-protocol server for tests, so the store's full test suite runs
 * against the official driver without a `mongod` binary. See README.md for what it covers.
 */
import net from 'node:net';
import { Catalog } from './catalog.js';
import { runCommand } from './commands/dispatch.js';
import { Cursors } from './cursors.js';
import { sweepExpired, TtlMonitor } from './ttl-monitor.js';
import { decodeRequest, encodeReply, MessageSplitter, MORE_TO_COME } from './wire.js';

export interface MongoWireServerOptions {
  /** Port to listen on; 0 (default) picks a free one on first start, reused on restarts. */
  port?: number;
  /** How often the TTL monitor deletes expired documents, in ms. 0 disables it. Default 60 000, like mongod. */
  ttlMonitorIntervalMs?: number;
}

export class MongoWireServer {
  readonly catalog = new Catalog();
  readonly #cursors = new Cursors();
  readonly #ttl: TtlMonitor;
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #port: number;
  #connections = 0;

  constructor(options: MongoWireServerOptions = {}) {
    this.#port = options.port ?? 0;
    this.#ttl = new TtlMonitor(this.catalog, options.ttlMonitorIntervalMs ?? 60_000);
  }

  /** The port the server listens (or last listened) on; 0 before the first start. */
  get port(): number {
    return this.#port;
  }

  /** A connection string for the official driver. */
  get url(): string {
    return `mongodb://127.0.0.1:${this.#port}/?directConnection=true`;
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  /**
   * Starts listening on 127.0.0.1. After a stop() it listens on the same port again and
   * still holds the data it had: a restart, not a fresh server (call reset() for that).
   */
  async start(): Promise<string> {
    if (this.#server) return this.url;
    const server = net.createServer((socket) => this.#serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
    this.#ttl.start();
    return this.url;
  }

  /** Stops listening and drops every open connection at once, like a killed mongod. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#ttl.stop();
    this.#cursors.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  /** Forgets every database, as if the server came back with an empty data directory. */
  reset(): void {
    this.catalog.clear();
    this.#cursors.clear();
  }

  /** Runs the TTL monitor's pass now; returns how many documents it deleted. */
  sweepExpired(now = Date.now()): number {
    return sweepExpired(this.catalog, now);
  }

  #serve(socket: net.Socket): void {
    this.#sockets.add(socket);
    const connectionId = ++this.#connections;
    const splitter = new MessageSplitter();
    socket.setNoDelay(true);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of splitter.push(chunk)) {
          const request = decodeRequest(message);
          const reply = runCommand(request.command, {
            catalog: this.catalog,
            cursors: this.#cursors,
            database: request.database,
            connectionId,
          });
          // moreToCome: an unacknowledged (w: 0) write, which gets no answer.
          if (!(request.flags & MORE_TO_COME)) socket.write(encodeReply(request, reply));
        }
      } catch {
        // Unparseable bytes: mongod closes the connection too.
        socket.destroy();
      }
    });
  }
}
