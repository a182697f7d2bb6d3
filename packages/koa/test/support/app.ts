import { setTimeout as sleep } from 'node:timers/promises';
import { switchable } from '@hallpass/conformance';
import { SessionManager, type SessionManagerOptions } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Koa from 'koa';
import { type HallpassState, hallpass } from '../../src/index.js';

export type DemoData = { user: string; visits: number } & Record<string, unknown>;

/**
 * A Koa app with the routes describeHttpScenarios expects (plain middleware, no router
 * dependency), plus /stream for the middleware tests.
 */
export function buildApp(
  options: Partial<SessionManagerOptions> = {},
  setup: { errorHandlerThrows?: boolean } = {},
) {
  const store = switchable(new MemoryStore({ cleanupIntervalMs: 0 }));
  const manager = new SessionManager<DemoData>({ store, ...options });
  const app = new Koa<HallpassState<DemoData>>();
  // Koa logs every error to stderr by default; the tests provoke them on purpose.
  app.silent = true;
  if (setup.errorHandlerThrows) {
    app.use(async (_ctx, next) => {
      try {
        await next();
      } catch {
        throw new Error('error handler bug');
      }
    });
  }
  app.use(hallpass(manager));
  app.use(async (ctx) => {
    const session = ctx.state.session;
    const query = (name: string) => String(ctx.query[name] ?? '');
    if (query('wait')) await sleep(Number(query('wait')));
    switch (`${ctx.method} ${ctx.path}`) {
      case 'POST /login':
        await session.signIn(query('user'));
        session.put('user', query('user'));
        ctx.body = { user: query('user') };
        return;
      case 'GET /me':
        ctx.body = { user: session.get('user') ?? null, id: session.id };
        return;
      case 'POST /renew':
        await session.renewToken();
        ctx.body = { ok: true };
        return;
      case 'POST /logout':
        await session.destroy();
        ctx.body = { ok: true };
        return;
      case 'POST /set':
        session.put(query('key'), query('value'));
        ctx.body = { ok: true };
        return;
      case 'GET /all':
        ctx.body = Object.fromEntries(session.keys().map((key) => [key, session.get(key)]));
        return;
      case 'GET /throw':
        throw new Error('route bug');
      case 'GET /misuse':
        // Node refuses a number body: the same bug as `res.end(123)` in a plain handler.
        ctx.res.end(123 as never);
        return;
      default:
        ctx.status = 404;
    }
  });
  return { app, manager, store };
}
