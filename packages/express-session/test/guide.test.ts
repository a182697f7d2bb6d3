import { readdirSync, readFileSync } from 'node:fs';
import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import signature from 'cookie-signature';
import express from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp as createFastifyApp } from './guide/fastify.js';
import { createApp as createImportingApp } from './guide/import.js';
import { createApp as createPassportApp } from './guide/passport.js';
import { createApp as createSwitchedApp } from './guide/switch.js';
import { sessionMiddleware } from './guide/user-from-session.js';
import { Browser } from './support/browser.js';
import { serve } from './support/serve.js';

const GUIDE = new URL('../../../docs/migrating-from-express-session.md', import.meta.url);
const EXAMPLES = new URL('./guide/', import.meta.url);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function store() {
  const memory = new MemoryStore();
  cleanups.push(() => memory.close());
  return memory;
}

async function browse(app: express.Express) {
  const server = await serve(app);
  cleanups.push(server.close);
  return () => new Browser(server.url);
}

describe('docs/migrating-from-express-session.md', () => {
  it('shows every example file verbatim, and no code that is not one', () => {
    const guide = readFileSync(GUIDE, 'utf8');
    const blocks = [...guide.matchAll(/(?:<!-- example: (\S+) -->\n)?```\w*\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThan(0);
    const shown = new Set<string>();
    for (const [, path, code] of blocks) {
      expect(path, `a code block without an example file:\n${code}`).toBeDefined();
      const file = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
      expect(code, `${path} differs from its block in the guide`).toBe(file);
      shown.add(path as string);
    }
    const files = readdirSync(EXAMPLES).map(
      (name) => `packages/express-session/test/guide/${name}`,
    );
    expect([...shown].sort()).toEqual(files.sort());
  });
});

describe('the guide examples', () => {
  it('switch: counts views in req.session and records the client IP Express trusts', async () => {
    const { app, sessions } = createSwitchedApp(store());
    const ips: Array<string | undefined> = [];
    sessions.on('created', (event) => ips.push(event.ip));
    app.set('trust proxy', 1);
    // The example's cookie is Secure (the default); plain-http test clients still send it back
    // because the Browser keeps cookies by name only.
    const client = (await browse(app))();
    const headers = { 'x-forwarded-for': '198.51.100.7' };
    expect(await (await client.request('/', { headers })).text()).toBe('views: 1');
    expect(await (await client.request('/', { headers })).text()).toBe('views: 2');
    expect(ips).toEqual(['198.51.100.7']);
  });

  it('passport: signs in, lists devices, and signs out everywhere else', async () => {
    const passport = new Passport();
    passport.use(
      new LocalStrategy((username, password, done) =>
        done(null, password === 'pw' ? { id: username } : false),
      ),
    );
    passport.serializeUser<string>((user, done) => done(null, (user as { id: string }).id));
    passport.deserializeUser<string>((id, done) => done(null, { id }));
    const { app } = createPassportApp(store(), passport as never);
    const open = await browse(app);
    const laptop = open();
    const phone = open();
    for (const device of [laptop, phone]) {
      expect((await device.post('/login', { username: 'ada', password: 'pw' })).status).toBe(302);
    }
    const devices = await laptop.json<Array<{ current: boolean }>>('/devices');
    expect(devices.map((d) => d.current).sort()).toEqual([false, true]);
    await laptop.request('/logout-everywhere-else', { method: 'POST' });
    expect(await laptop.json('/devices')).toHaveLength(1);
    expect((await phone.request('/devices')).status).toBe(500); // req.user is gone
    await laptop.request('/logout', { method: 'POST' });
    expect((await laptop.request('/devices')).status).toBe(500);
  });

  it('userFromSession: a session with req.session.userId is listed under that user', async () => {
    const sessions = new SessionManager({ store: store(), cookie: { secure: false } });
    const app = express();
    app.use(sessionMiddleware(sessions));
    app.get('/login', (req, res) => {
      (req.session as unknown as Record<string, unknown>).userId = 'u-1';
      res.end();
    });
    await (await browse(app))().request('/login');
    expect(await sessions.listUserSessions('u-1')).toHaveLength(1);
  });

  it('import: brings an old connect-redis session over and keeps the old entry', async () => {
    const old = new Map([
      ['sess:abc', JSON.stringify({ cookie: {}, passport: { user: 'u-9' }, n: 4 })],
    ]);
    const oldRedis = {
      get: async (key: string) => old.get(key) ?? null,
      getDel: async (key: string) => {
        const value = old.get(key) ?? null;
        old.delete(key);
        return value;
      },
    };
    const { app, sessions } = createImportingApp(store(), oldRedis, ['new', 'old']);
    app.get('/', (req, res) => res.json({ n: (req.session as unknown as { n: number }).n }));
    const client = (await browse(app))();
    client.cookies.set('connect.sid', encodeURIComponent(`s:${signature.sign('abc', 'old')}`));
    expect(await client.json('/')).toEqual({ n: 4 });
    expect(client.cookies.has('connect.sid')).toBe(false);
    expect(await sessions.listUserSessions('u-9')).toHaveLength(1);
    expect(old.has('sess:abc')).toBe(true); // deleteAfterImport: false
  });

  it('fastify: counts views and signs in', async () => {
    const app = await createFastifyApp(store());
    cleanups.push(() => app.close());
    const first = await app.inject({ method: 'GET', url: '/' });
    expect(first.json()).toEqual({ views: 1 });
    const cookie = first.cookies.find((c) => c.name === 'sid');
    const second = await app.inject({
      method: 'GET',
      url: '/',
      cookies: { sid: cookie?.value ?? '' },
    });
    expect(second.json()).toEqual({ views: 2 });
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { sid: cookie?.value ?? '' },
    });
    expect(login.cookies.find((c) => c.name === 'sid')?.value).not.toBe(cookie?.value);
  });
});
