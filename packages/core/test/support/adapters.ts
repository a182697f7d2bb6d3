import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { afterEach } from 'vitest';
import { SessionManager, type SessionManagerOptions } from '../../src/index.js';
import { serve } from './http.js';
import { TestStore } from './test-store.js';

type Data = { count: number };

/**
 * What a test route does with the request's session: read it, write it, or take the store
 * down after the load so that the commit fails.
 */
export type Action = 'read' | 'write' | 'write-then-store-down';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function act(action: Action, manager: SessionManager<Data>, request: object, store: TestStore) {
  const session = manager.session(request);
  if (action === 'read') return String(session.get('count') ?? 'none');
  session.put('count', (session.get('count') ?? 0) + 1);
  if (action === 'write-then-store-down') store.down = true;
  return String(session.get('count'));
}

/** One real adapter path of core: a server (or Fetch handler) and how to send it a request. */
export interface AdapterPath {
  store: TestStore;
  manager: SessionManager<Data>;
  /** GET /<action> with an optional Cookie header. */
  send(action: Action, cookie?: string): Promise<Response>;
}

const nodeRoute =
  (manager: SessionManager<Data>, store: TestStore) =>
  (req: IncomingMessage, res: ServerResponse) => {
    res.end(act(req.url?.slice(1) as Action, manager, req, store));
  };

/** Every adapter core ships, each with no onError and no error listener: the defaults. */
export const adapterPaths: Record<
  string,
  (options?: Partial<SessionManagerOptions>) => Promise<AdapterPath>
> = {
  'node handler()': async (options) => {
    const store = new TestStore();
    const manager = new SessionManager<Data>({ store, cookie: { secure: false }, ...options });
    const server = await serve(manager.handler(nodeRoute(manager, store)));
    closers.push(server.close);
    return { store, manager, send: sender(server.url) };
  },
  'Express middleware()': async (options) => {
    const store = new TestStore();
    const manager = new SessionManager<Data>({ store, cookie: { secure: false }, ...options });
    const app = express();
    app.use(manager.middleware());
    app.get('/:action', (req, res) => {
      res.send(act(req.params.action as Action, manager, req, store));
    });
    const server = await serve(app);
    closers.push(server.close);
    return { store, manager, send: sender(server.url) };
  },
  'Fetch fetch()': async (options) => {
    const store = new TestStore();
    const manager = new SessionManager<Data>({ store, cookie: { secure: false }, ...options });
    const handle = manager.fetch(async (request) => {
      const action = new URL(request.url).pathname.slice(1) as Action;
      return new Response(act(action, manager, request, store));
    });
    return {
      store,
      manager,
      send: (action, cookie) =>
        handle(new Request(`http://app.test/${action}`, { headers: cookie ? { cookie } : {} })),
    };
  },
};

function sender(url: string) {
  return (action: Action, cookie?: string) =>
    fetch(`${url}/${action}`, { headers: cookie ? { cookie } : {} });
}

/** The `session=<token>` pair a response sets, or undefined. */
export function sessionPair(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((value) => value.startsWith('session='));
  return line?.split(';')[0];
}
