import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionManager, type SessionManagerOptions, type Store } from '@hallpass/core';
import { sleep } from './fixtures.js';

/** What the test app answers: the session as the request saw it after its own changes. */
export interface AppReply {
  status: number;
  values: Record<string, unknown>;
  userId: string | null;
  /** The session cookie this response set: a token, `cleared`, or null when untouched. */
  cookie: string | 'cleared' | null;
}

export interface TestApp {
  manager: SessionManager;
  /**
   * Sends a request with the given session token as cookie (none when undefined). Paths:
   * `/read`, `/login?user=`, `/put?key=&value=`, `/renew`, `/logout`. Any of them takes
   * `gate=<name>`: once its session is loaded the request waits at that gate until the test
   * calls `release(name)`, which makes "a slow request" deterministic under any load.
   */
  request(path: string, token?: string): Promise<AppReply>;
  /** Resolves once `count` requests wait at gate `name` (their sessions are loaded). */
  arrived(name: string, count?: number): Promise<void>;
  /** Lets the requests at gate `name` (and any that arrive later) continue. */
  release(name: string): void;
  close(): Promise<void>;
}

class Gate {
  arrivals = 0;
  readonly opened: Promise<void>;
  open!: () => void;

  constructor() {
    this.opened = new Promise((resolve) => {
      this.open = resolve;
    });
  }
}

/** A real node:http server running a SessionManager over `store`, on a free local port. */
export async function startApp(
  store: Store,
  options: Omit<SessionManagerOptions, 'store'> = {},
): Promise<TestApp> {
  const manager = new SessionManager({
    store,
    ...options,
    cookie: { secure: false, ...options.cookie },
  });
  const gates = new Map<string, Gate>();
  const gate = (name: string) => {
    const found = gates.get(name) ?? new Gate();
    gates.set(name, found);
    return found;
  };
  const server = createServer(
    manager.handler(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const param = (name: string) => url.searchParams.get(name) ?? '';
      const session = manager.session(req);
      if (param('gate')) {
        const waitAt = gate(param('gate'));
        waitAt.arrivals++;
        await waitAt.opened;
      }
      switch (url.pathname) {
        case '/read':
          break;
        case '/login':
          await session.signIn(param('user'));
          session.put('user', param('user'));
          break;
        case '/put':
          session.put(param('key'), param('value'));
          break;
        case '/renew':
          await session.renewToken();
          break;
        case '/logout':
          await session.destroy();
          break;
        default:
          res.statusCode = 404;
      }
      const values = Object.fromEntries(session.keys().map((key) => [key, session.get(key)]));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ values, userId: session.userId }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cookieName = manager.options.cookie.name;

  return {
    manager,
    async request(path, token) {
      const method = path.startsWith('/read') ? 'GET' : 'POST';
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.cookie = `${cookieName}=${token}`;
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers });
      const text = await response.text();
      let body: { values?: Record<string, unknown>; userId?: string | null } = {};
      try {
        body = JSON.parse(text);
      } catch {
        // An error page: keep the status, report no values.
      }
      return {
        status: response.status,
        values: body.values ?? {},
        userId: body.userId ?? null,
        cookie: sessionCookie(response.headers.getSetCookie(), cookieName),
      };
    },
    async arrived(name, count = 1) {
      while (gate(name).arrivals < count) await sleep(2);
    },
    release(name) {
      gate(name).open();
    },
    async close() {
      for (const waiting of gates.values()) waiting.open();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function sessionCookie(lines: string[], name: string): string | 'cleared' | null {
  const line = lines.find((candidate) => candidate.trimStart().startsWith(`${name}=`));
  if (line === undefined) return null;
  const start = line.indexOf('=') + 1;
  const end = line.indexOf(';');
  const value = line.slice(start, end === -1 ? undefined : end);
  const cleared = value === '' || /;\s*max-age=0\b/i.test(line);
  return cleared ? 'cleared' : value;
}
