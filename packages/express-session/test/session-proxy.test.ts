import {
  InvalidInputError,
  SessionManager,
  type SessionManagerOptions,
  tokenToId,
} from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExpressSession, expressSession } from '../src/index.js';
import { Browser } from './support/browser.js';
import { serve } from './support/serve.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The compat session on a request (the test also has @types/express-session's augmentation). */
const sess = (req: express.Request): ExpressSession =>
  (req as unknown as { session: ExpressSession }).session;

async function start(
  routes: (app: Express, manager: SessionManager) => void,
  options: Partial<SessionManagerOptions> = {},
) {
  const store = new MemoryStore();
  const manager = new SessionManager({ store, cookie: { name: 'sid', secure: false }, ...options });
  const commits: string[] = [];
  manager.on('committed', () => commits.push('committed'));
  const app = express();
  app.use(expressSession(manager));
  routes(app, manager);
  app.use(((error, _req, res, _next) => {
    res.status(500).json({ error: (error as Error).name, message: (error as Error).message });
  }) as express.ErrorRequestHandler);
  const server = await serve(app);
  cleanups.push(server.close, () => store.close());
  return { manager, store, commits, browser: () => new Browser(server.url) };
}

describe('req.session values', () => {
  it('reads, writes and deletes values as properties, kept across requests', async () => {
    const { browser } = await start((app) => {
      app.get('/set', (req, res) => {
        const session = sess(req);
        session.name = 'Ada';
        session.tags = ['a'];
        session.gone = true;
        res.end();
      });
      app.get('/read', (req, res) => {
        const session = sess(req);
        delete session.gone;
        res.json({
          name: session.name,
          keys: Object.keys(session),
          has: ['name' in session, 'gone' in session, 'save' in session],
          own: Object.hasOwn(session, 'name'),
          spread: { ...session },
        });
      });
      app.get('/again', (req, res) => res.json({ gone: sess(req).gone ?? null }));
    });
    const ada = browser();
    await ada.request('/set');
    expect(await ada.json('/read')).toEqual({
      name: 'Ada',
      keys: ['name', 'tags'],
      has: [true, false, true],
      own: true,
      spread: { name: 'Ada', tags: ['a'] },
    });
    expect(await ada.json('/again')).toEqual({ gone: null });
  });

  it('saves objects changed in place, and writes nothing for a request that only reads', async () => {
    const { browser, commits } = await start((app) => {
      app.get('/add/:item', (req, res) => {
        const session = sess(req);
        session.cart ??= { items: [] as string[] };
        session.cart.items.push(req.params.item);
        res.json(session.cart);
      });
      app.get('/cart', (req, res) => res.json(sess(req).cart));
    });
    const shopper = browser();
    await shopper.request('/add/apple');
    expect(await shopper.json('/add/pear')).toEqual({ items: ['apple', 'pear'] });
    expect(commits).toHaveLength(2);
    expect(await shopper.json('/cart')).toEqual({ items: ['apple', 'pear'] });
    expect(commits).toHaveLength(2);
  });

  it('refuses to overwrite the session API, with a typed error', async () => {
    const { browser } = await start((app) => {
      app.get('/', (req, res) => {
        (sess(req) as Record<string, unknown>).save = 1;
        res.end();
      });
    });
    const response = await browser().request('/');
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: InvalidInputError.name });
  });
});

describe('req.session.id and req.sessionID', () => {
  it('are the public session id (the token hashed), never the token itself', async () => {
    const { browser } = await start((app) => {
      app.get('/', (req, res) => {
        const session = sess(req);
        session.seen = true;
        res.json({ id: session.id ?? null, sessionID: req.sessionID ?? null });
      });
    });
    const client = browser();
    expect(await client.json('/')).toEqual({ id: null, sessionID: null }); // not stored yet
    const token = client.cookies.get('sid') as string;
    const ids = await client.json<{ id: string; sessionID: string }>('/');
    expect(ids.id).toBe(tokenToId(token));
    expect(ids.sessionID).toBe(ids.id);
    expect(ids.id).not.toBe(token);
  });
});

describe('regenerate, save, destroy, reload, touch', () => {
  it('regenerate ends the old session and starts an empty one with a new token', async () => {
    const { browser, manager } = await start((app) => {
      app.get('/put', (req, res) => {
        sess(req).secret = 'before';
        res.end();
      });
      app.get('/regenerate', (req, res, next) => {
        const old = sess(req);
        old.regenerate((error: unknown) => {
          if (error) return next(error);
          const fresh = sess(req);
          res.json({ fresh: fresh.secret ?? null, old: old.secret, replaced: fresh !== old });
        });
      });
      app.get('/read', (req, res) => res.json({ secret: sess(req).secret ?? null }));
    });
    const client = browser();
    await client.request('/put');
    const before = client.clone();
    expect(await client.json('/regenerate')).toEqual({
      fresh: null,
      old: 'before',
      replaced: true,
    });
    // Nothing was written after regenerating: no cookie, and nothing left in the store.
    expect(client.cookies.has('sid')).toBe(false);
    expect(await manager.countSessions()).toBe(0);
    expect(await before.json('/read')).toEqual({ secret: null });
  });

  it('save(cb) writes before the callback runs', async () => {
    const { browser, store } = await start((app) => {
      app.get('/', (req, res, next) => {
        const session = sess(req);
        session.saved = 'yes';
        session.save(async (error: unknown) => {
          if (error) return next(error);
          const stored = await store.find(req.sessionID as string);
          res.json({ stored: stored !== null });
        });
      });
    });
    expect(await browser().json('/')).toEqual({ stored: true });
  });

  it('destroy(cb) removes the session and req.session, and clears the cookie', async () => {
    const { browser, manager } = await start((app) => {
      app.get('/put', (req, res) => {
        sess(req).x = 1;
        res.end();
      });
      app.get('/destroy', (req, res, next) => {
        sess(req).destroy((error: unknown) => {
          if (error) return next(error);
          res.json({ session: req.session === undefined ? 'gone' : 'there' });
        });
      });
    });
    const client = browser();
    await client.request('/put');
    expect(await manager.countSessions()).toBe(1);
    expect(await client.json('/destroy')).toEqual({ session: 'gone' });
    expect(client.cookies.has('sid')).toBe(false);
    expect(await manager.countSessions()).toBe(0);
  });

  it('reload(cb) brings back the stored values over unsaved changes', async () => {
    const { browser } = await start((app) => {
      app.get('/put', (req, res) => {
        sess(req).colour = 'blue';
        res.end();
      });
      app.get('/reload', (req, res, next) => {
        const session = sess(req);
        session.colour = 'red';
        session.extra = true;
        session.reload((error: unknown) => {
          if (error) return next(error);
          res.json({ colour: session.colour, extra: session.extra ?? null });
        });
      });
      app.get('/read', (req, res) => res.json({ colour: sess(req).colour }));
    });
    const client = browser();
    await client.request('/put');
    expect(await client.json('/reload')).toEqual({ colour: 'blue', extra: null });
    expect(await client.json('/read')).toEqual({ colour: 'blue' });
  });

  it('reload(cb) of a session that was never stored reports an error', async () => {
    const { browser } = await start((app) => {
      app.get('/', (req, res) => {
        sess(req).reload((error: unknown) => res.json({ failed: error instanceof Error }));
      });
    });
    expect(await browser().json('/')).toEqual({ failed: true });
  });

  it('touch() and resetMaxAge() return the session and write nothing', async () => {
    const { browser, commits } = await start((app) => {
      app.get('/put', (req, res) => {
        sess(req).x = 1;
        res.end();
      });
      app.get('/touch', (req, res) => {
        const session = sess(req);
        res.json({ same: session.touch() === session && session.resetMaxAge() === session });
      });
    });
    const client = browser();
    await client.request('/put');
    expect(await client.json('/touch')).toEqual({ same: true });
    expect(commits).toHaveLength(1);
  });
});

describe('req.session.cookie', () => {
  it('reads the manager cookie options and the session expiry by the manager clock', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { browser } = await start(
      (app) => {
        app.get('/', (req, res) => {
          const { cookie } = sess(req);
          sess(req).seen = true;
          res.json({ ...cookie.toJSON(), maxAge: cookie.maxAge });
        });
      },
      {
        clock: () => now,
        lifetime: '2h',
        cookie: { name: 'sid', secure: false, sameSite: 'strict', path: '/' },
      },
    );
    const client = browser();
    expect(await client.json('/')).toEqual({
      originalMaxAge: 2 * 3600_000,
      expires: new Date(now + 2 * 3600_000).toISOString(),
      maxAge: 2 * 3600_000,
      httpOnly: true,
      secure: false,
      sameSite: 'strict',
      path: '/',
    });
    now += 30 * 60_000;
    expect(await client.json('/')).toMatchObject({ maxAge: 90 * 60_000 });
  });

  it('maxAge = null makes a browser-session cookie; a number makes it persistent again', async () => {
    const { browser } = await start(
      (app) => {
        app.get('/forget', (req, res) => {
          const session = sess(req);
          session.cookie.maxAge = null;
          res.json({ maxAge: session.cookie.maxAge, expires: session.cookie.expires });
        });
        app.get('/remember', (req, res) => {
          sess(req).cookie.maxAge = 30 * 24 * 3600_000;
          res.end();
        });
      },
      { cookie: { name: 'sid', secure: false, persist: true } },
    );
    const client = browser();
    const forget = await client.request('/forget');
    expect(await forget.json()).toEqual({ maxAge: null, expires: null });
    expect(forget.headers.get('set-cookie')).not.toMatch(/Expires=/i);
    const remember = await client.request('/remember');
    expect(remember.headers.get('set-cookie')).toMatch(/Expires=/i);
  });

  it('refuses per-request cookie attributes and nonsense lifetimes with a typed error', async () => {
    const { browser } = await start((app) => {
      app.get('/secure', (req, res) => {
        (sess(req).cookie as { secure: boolean }).secure = true;
        res.end();
      });
      app.get('/negative', (req, res) => {
        sess(req).cookie.maxAge = -5;
        res.end();
      });
    });
    for (const path of ['/secure', '/negative']) {
      const response = await browser().request(path);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: InvalidInputError.name });
    }
  });
});

describe('users and the client address', () => {
  it('follows the user named by the values, renewing the token of an existing session', async () => {
    const { browser, manager } = await start((app) => {
      app.get('/visit', (req, res) => {
        sess(req).visited = true;
        res.end();
      });
      app.get('/as/:user', (req, res) => {
        sess(req).passport = { user: req.params.user };
        res.end();
      });
    });
    const client = browser();
    await client.request('/visit');
    const anonymous = client.cookies.get('sid');
    await client.request('/as/u-7');
    expect(client.cookies.get('sid')).not.toBe(anonymous);
    const [listed] = await manager.listUserSessions('u-7');
    expect(listed?.id).toBe(tokenToId(client.cookies.get('sid') as string));
  });

  it('takes the user from a custom userFromSession', async () => {
    const store = new MemoryStore();
    const manager = new SessionManager({ store, cookie: { name: 'sid', secure: false } });
    const app = express();
    app.use(
      expressSession(manager, { userFromSession: (values) => (values.userId as string) ?? null }),
    );
    app.get('/login', (req, res) => {
      sess(req).userId = 'admin-1';
      res.end();
    });
    const server = await serve(app);
    cleanups.push(server.close, () => store.close());
    await new Browser(server.url).request('/login');
    expect(await manager.listUserSessions('admin-1')).toHaveLength(1);
  });

  it("records req.ip, so Express's trust proxy setting decides the client address", async () => {
    for (const trust of [false, 1]) {
      const { browser, manager } = await start((app) => {
        app.set('trust proxy', trust);
        app.get('/', (req, res) => {
          sess(req).passport = { user: 'u-ip' };
          res.end();
        });
      });
      await browser().request('/', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      const [listed] = await manager.listUserSessions('u-ip');
      expect(listed?.ip).toBe(trust ? '203.0.113.9' : '127.0.0.1');
    }
  });
});
