import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionManager } from '@hallpass/core';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface App {
  /** GETs `path` presenting `cookie` (a `name=value` pair); answers with the body and Set-Cookie. */
  get(path: string, cookie?: string): Promise<{ body: string; setCookie: string | undefined }>;
  close(): Promise<void>;
}

/** A real node:http server for one "process": the manager's handler in front of `routes`. */
export async function startApp(
  manager: SessionManager,
  routes: Record<string, Route>,
): Promise<App> {
  const server = createServer(
    manager.handler(async (req, res) => {
      const route = routes[new URL(req.url ?? '/', 'http://app').pathname];
      if (!route) {
        res.statusCode = 404;
        res.end();
        return;
      }
      await route(req, res);
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    async get(path, cookie) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: cookie ? { cookie } : {},
      });
      return { body: await response.text(), setCookie: response.headers.getSetCookie()[0] };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The `name=value` part of a Set-Cookie header, to send back as a Cookie header. */
export function cookiePair(setCookie: string | undefined): string {
  const pair = setCookie?.split(';')[0];
  if (!pair || pair.endsWith('=')) throw new Error(`no session cookie was set: ${setCookie}`);
  return pair;
}

/** A promise to wait on and the function that resolves it. */
export function latch(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
