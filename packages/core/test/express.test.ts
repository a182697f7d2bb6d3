import express, { type ErrorRequestHandler, type Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionManager, type SessionManagerOptions, StoreUnavailableError } from '../src/index.js';
import { CookieClient } from './support/client.js';
import { serve } from './support/http.js';
import { TestStore } from './support/test-store.js';

type Data = { count: number; user: string; flash: string };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * The Express 5 wiring the README shows: `app.use(manager.middleware())`, then
 * `manager.session(req)` in routes, routers and error handlers.
 */
async function startExpress(
  build: (app: express.Express, manager: SessionManager<Data>) => void,
  options: Partial<SessionManagerOptions> = {},
) {
  const store = new TestStore();
  const manager = new SessionManager<Data>({ store, cookie: { secure: false }, ...options });
  const app = express();
  app.use(manager.middleware());
  build(app, manager);
  const server = await serve(app);
  closers.push(server.close);
  return { store, manager, client: () => new CookieClient(server.url) };
}

describe('Express 5 with manager.middleware()', () => {
  it('counts visits across requests of one client and keeps clients apart', async () => {
    const { client } = await startExpress((app, manager) => {
      app.get('/count', (req, res) => {
        const session = manager.session(req);
        const count = (session.get('count') ?? 0) + 1;
        session.put('count', count);
        res.json({ count });
      });
    });
    const alice = client();
    const bob = client();
    expect(await (await alice.request('/count')).json()).toEqual({ count: 1 });
    expect(await (await alice.request('/count')).json()).toEqual({ count: 2 });
    expect(await (await bob.request('/count')).json()).toEqual({ count: 1 });
    expect(alice.cookie).toBeDefined();
    expect(bob.cookie).not.toBe(alice.cookie);
  });

  it('sets the cookie on a redirect after sign-in and shows a flash message once', async () => {
    const { client } = await startExpress((app, manager) => {
      app.post('/login', async (req, res) => {
        const session = manager.session(req);
        await session.signIn('alice');
        session.put('user', 'alice');
        session.put('flash', 'Welcome back');
        res.redirect(303, '/home');
      });
      app.get('/home', (req, res) => {
        const session = manager.session(req);
        res
          .type('text')
          .send(`${session.get('user') ?? 'anonymous'}|${session.pop('flash') ?? ''}`);
      });
    });
    const browser = client();
    await browser.request('/home');
    const before = browser.cookie;
    const redirect = await browser.request('/login', { method: 'POST' });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/home');
    expect(browser.cookie).toBeDefined();
    expect(browser.cookie).not.toBe(before);
    expect(await browser.text('/home')).toBe('alice|Welcome back');
    expect(await browser.text('/home')).toBe('alice|');
  });

  it('works in routers, and async route errors reach the error handler with the session saved', async () => {
    const { client } = await startExpress((app, manager) => {
      const router = express.Router();
      router.get('/fail', async (req) => {
        manager.session(req).put('count', 5);
        throw new Error('route failed');
      });
      router.get('/count', (req, res) => {
        res.json({ count: manager.session(req).get('count') ?? null });
      });
      app.use('/api', router);
      const handler: ErrorRequestHandler = (error, _req, res, _next) => {
        res.status(500).json({ error: (error as Error).message });
      };
      app.use(handler);
    });
    const browser = client();
    const failed = await browser.request('/api/fail');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'route failed' });
    expect(await (await browser.request('/api/count')).json()).toEqual({ count: 5 });
  });

  it('passes a store outage at load to the Express error handler, before any route runs', async () => {
    let ran = false;
    const seen: unknown[] = [];
    const { store, client } = await startExpress((app, manager) => {
      app.get('/count', (req, res) => {
        ran = true;
        manager.session(req).put('count', 1);
        res.send('ok');
      });
      const handler: ErrorRequestHandler = (error, _req, res, _next) => {
        seen.push(error);
        const down = error instanceof StoreUnavailableError;
        res.status(down ? 503 : 500).send(down ? 'try again soon' : 'error');
      };
      app.use(handler);
    });
    const browser = client();
    await browser.request('/count');
    ran = false;
    store.down = true;
    const response = await browser.request('/count');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('try again soon');
    expect(ran).toBe(false);
    expect(seen[0]).toBeInstanceOf(StoreUnavailableError);
  });

  it('leaves no Set-Cookie header on a response that sets no cookie, for code after it', async () => {
    const seen: boolean[] = [];
    const { client } = await startExpress((app, manager) => {
      app.use((_req, res, next) => {
        res.on('finish', () => seen.push(res.hasHeader('set-cookie')));
        next();
      });
      app.get('/count', (req, res) => {
        const session = manager.session(req);
        session.put('count', (session.get('count') ?? 0) + 1);
        res.json({});
      });
      app.get('/read', (req, res) => {
        res.json({ count: manager.session(req).get('count') });
      });
    });
    const alice = client();
    await alice.request('/count');
    const read = await alice.request('/read');
    expect(await read.json()).toEqual({ count: 1 });
    expect(read.headers.get('vary')).toBe('Cookie');
    expect(seen).toEqual([true, false]);
  });

  it('sends the cookie with the first chunk of a streamed response', async () => {
    const { client } = await startExpress((app, manager) => {
      app.get('/stream', async (req, res) => {
        manager.session(req).put('count', 3);
        res.type('text');
        res.write('first chunk, ');
        await new Promise((resolve) => setImmediate(resolve));
        res.end('last chunk');
      });
      app.get('/count', (req, res) => {
        res.json({ count: manager.session(req).get('count') ?? null });
      });
    });
    const browser = client();
    const response = await browser.request('/stream');
    expect(await response.text()).toBe('first chunk, last chunk');
    expect(browser.cookie).toBeDefined();
    expect(await (await browser.request('/count')).json()).toEqual({ count: 3 });
  });

  it('finds the session from any middleware that receives the same req', async () => {
    const sameRequest: boolean[] = [];
    const { client } = await startExpress((app, manager) => {
      app.use((req: Request, _res, next) => {
        manager.session(req).put('user', 'from-middleware');
        next();
      });
      app.get('/who', (req, res) => {
        sameRequest.push(manager.session(req).get('user') === 'from-middleware');
        res.end();
      });
    });
    await client().request('/who');
    expect(sameRequest).toEqual([true]);
  });
});
