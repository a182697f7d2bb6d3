import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy the test owns, in front of a backend: it can hold every byte (a backend that
 * stopped answering without closing connections, the hardest failure to notice) and drop its
 * connections to end the stall.
 */
export class StallingProxy {
  #server: net.Server | undefined;
  readonly #pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  #stalled = false;

  constructor(
    readonly targetHost: string,
    readonly targetPort: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and returns it. */
  async start(): Promise<number> {
    const server = net.createServer((client) => this.#accept(client));
    this.#server = server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as net.AddressInfo).port;
  }

  /** From now on no byte passes in either direction, on old and new connections alike. */
  stall(): void {
    this.#stalled = true;
    for (const { client, upstream } of this.#pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Ends the stall: held connections are cut (as a network failure would), new ones flow. */
  heal(): void {
    this.#stalled = false;
    for (const { client, upstream } of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  async close(): Promise<void> {
    this.heal();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.#pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.#pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.#stalled) {
      client.pause();
      upstream.pause();
    }
  }
}
