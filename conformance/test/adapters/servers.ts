import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionManager, type SessionManagerOptions } from '@hallpass/core';
import { type ScenarioServer, switchable } from '../../src/index.js';
import { ReferenceStore } from '../support/reference-store.js';
import { route } from './routes.js';

export function scenarioManager(options: Partial<SessionManagerOptions> = {}) {
  const store = switchable(new ReferenceStore());
  const manager = new SessionManager({ ...options, store, cookie: { secure: false } });
  return { store, manager };
}

export async function listen(
  server: Server,
  store: ScenarioServer['store'],
  cookieName: string,
): Promise<ScenarioServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cookieName,
    store,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** The scenario routes on a node:http request whose session `manager.session(req)` returns. */
export async function nodeRoute(
  manager: SessionManager,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const result = await route(req.method ?? 'GET', url, manager.session(req));
  if (result === 'throw') throw new Error('route bug');
  if (result === 'misuse') {
    // Node refuses a number body: without hallpass this throws inside the route.
    res.end(123 as never);
    return;
  }
  res.statusCode = result.status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(result.json));
}

/** A minimal node:http server for a Fetch handler (what Bun or Deno would do natively). */
export function serveFetch(handler: (request: Request) => Promise<Response>): Server {
  return createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await handler(
      new Request(`http://localhost${req.url}`, { method: req.method, headers }),
    );
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}
