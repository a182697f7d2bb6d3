import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type NodeAdapterOptions, SessionManager, type Store } from '@hallpass/core';

export type SoakData = Record<string, string>;

export interface SoakServer {
  url: string;
  manager: SessionManager<SoakData>;
  /** Errors thrown by route handlers (not store outages answered by onError). */
  handlerErrors: unknown[];
  close(): Promise<void>;
}

/**
 * The application under load: sign-in, reads, writes, renewal, per-device revocation,
 * sign-out-everywhere-else and sign-out, on a real node:http server. Every answer says who
 * the server thinks the caller is, so the oracle can check nobody sees another user's session.
 */
export async function startSoakServer(
  store: Store,
  adapter: NodeAdapterOptions = {},
): Promise<SoakServer> {
  const manager = new SessionManager<SoakData>({
    store,
    cookie: { secure: false },
    lifetime: '1h',
    idleTimeout: '30m',
  });
  const handlerErrors: unknown[] = [];

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://soak');
    const session = manager.session(req);
    const param = (name: string) => url.searchParams.get(name) ?? '';
    let body: unknown = { ok: true };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /me': {
        const data: SoakData = {};
        for (const key of session.keys()) data[key] = session.get(key) as string;
        body = { user: session.userId, id: session.id, data };
        break;
      }
      case 'POST /sign-in':
        await session.signIn(param('user'));
        break;
      case 'POST /write':
        session.put(param('key'), param('value'));
        break;
      case 'POST /renew':
        await session.renewToken();
        break;
      case 'POST /sign-out':
        await session.destroy();
        break;
      case 'POST /revoke': {
        const user = session.userId;
        body = { revoked: user !== null && (await manager.revokeSession(user, param('id'))) };
        break;
      }
      case 'POST /revoke-others': {
        const user = session.userId;
        body = { count: user === null ? 0 : await manager.revokeUser(user, { except: req }) };
        break;
      }
      default:
        res.statusCode = 404;
        body = { error: 'no such route' };
    }
    const text = JSON.stringify(body);
    res.setHeader('content-type', 'application/json');
    res.end(text);
  };

  const server = createServer(
    manager.handler(async (req, res) => {
      try {
        await route(req, res);
      } catch (error) {
        handlerErrors.push(error);
        throw error;
      }
    }, adapter),
  );
  server.keepAliveTimeout = 1_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    manager,
    handlerErrors,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
