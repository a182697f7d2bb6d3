import { describe, expect, it } from 'vitest';
import { ConfigurationError, type SessionEvent, SessionManager, tokenToId } from '../src/index.js';
import { type Route, routes, startApp } from './support/app.js';
import { latch } from './support/latch.js';
import { TestStore } from './support/test-store.js';

const userRoutes: Record<string, Route> = {
  ...routes,
  '/devices': async (m, req, res) => {
    const list = await m.listUserSessions('alice', { current: req });
    res.end(JSON.stringify(list));
  },
  '/revoke': async (m, req, res) => {
    const id = new URL(req.url ?? '', 'http://x').searchParams.get('id') ?? '';
    res.end(String(await m.revokeSession('alice', id)));
  },
  '/my-devices': async (m, req, res) => {
    // The pattern the guides show: the signed-in user's devices, or [] for an anonymous visitor.
    const list = await m.listUserSessions(m.session(req).userId, { current: req });
    res.end(JSON.stringify(list));
  },
  '/whoami': (m, req, res) => {
    res.end(m.session(req).userId ?? 'nobody');
  },
  '/others-out': async (m, req, res) => {
    res.end(String(await m.revokeUser('alice', { except: req, reason: 'user' })));
  },
};

function device(userAgent: string): RequestInit {
  return { headers: { 'user-agent': userAgent } };
}

describe('per-user sessions', () => {
  it('lists the user sessions with device details and marks the current one', async () => {
    const app = await startApp(userRoutes);
    const laptop = app.client();
    const phone = app.client();
    await laptop.text('/login', device('Laptop/1.0'));
    await phone.text('/login', device('Phone/2.0'));
    const list = JSON.parse(await laptop.text('/devices', device('Laptop/1.0')));
    expect(list).toHaveLength(2);
    expect(list.map((s: { userAgent: string }) => s.userAgent)).toEqual([
      'Laptop/1.0',
      'Phone/2.0',
    ]);
    expect(list.map((s: { current: boolean }) => s.current)).toEqual([true, false]);
    expect(list[0].id).toBe(tokenToId(laptop.cookie as string));
    expect(list[0].ip).toBe('127.0.0.1');
    expect(list[0].expiresAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(list)).not.toContain(laptop.cookie);
  });

  it("lists no sessions for an anonymous visitor (userId null), then the user's after sign-in", async () => {
    const app = await startApp(userRoutes);
    const visitor = app.client();
    expect(await visitor.text('/my-devices')).toBe('[]');
    await visitor.text('/login');
    const list = JSON.parse(await visitor.text('/my-devices'));
    expect(list).toHaveLength(1);
    expect(list[0].current).toBe(true);
  });

  it('revokes one session by its listed id; the revoked device is signed out', async () => {
    const app = await startApp(userRoutes);
    const laptop = app.client();
    const phone = app.client();
    await laptop.text('/login');
    await phone.text('/count');
    await phone.text('/login');
    const phoneId = tokenToId(phone.cookie as string);
    expect(await laptop.text(`/revoke?id=${phoneId}`)).toBe('true');
    expect(await phone.text('/read')).toBe('none');
    expect(JSON.parse(await laptop.text('/devices'))).toHaveLength(1);
  });

  it('refuses to revoke a session of another user by id', async () => {
    const app = await startApp({
      ...userRoutes,
      '/login-bob': async (m, req, res) => {
        await m.session(req).signIn('bob');
        res.end();
      },
    });
    const alice = app.client();
    const bob = app.client();
    await alice.text('/login');
    await bob.text('/login-bob');
    expect(await alice.text(`/revoke?id=${tokenToId(bob.cookie as string)}`)).toBe('false');
    expect(app.store.rows.has(tokenToId(bob.cookie as string))).toBe(true);
  });

  it('signs out everywhere else, keeping the current session', async () => {
    const app = await startApp(userRoutes);
    const clients = [app.client(), app.client(), app.client()];
    for (const client of clients) await client.text('/login');
    const [current, ...others] = clients as [(typeof clients)[0], ...typeof clients];
    expect(await current.text('/others-out')).toBe('2');
    expect(JSON.parse(await current.text('/devices'))).toHaveLength(1);
    for (const other of others) expect(await other.text('/read')).toBe('none');
  });

  it('revokes a user from a script, outside any request, and reports it', async () => {
    const store = new TestStore();
    const app = await startApp(userRoutes, { store });
    await app.client().text('/login');
    await app.client().text('/login');
    const admin = new SessionManager({ store });
    const events: SessionEvent[] = [];
    admin.on('revoked', (event) => events.push(event));
    expect(await admin.revokeUser('alice')).toBe(2);
    expect(events).toMatchObject([{ type: 'revoked', userId: 'alice', reason: 'admin', count: 2 }]);
    expect(await admin.countSessions()).toBe(0);
  });

  it('a request whose session is revoked while it runs cannot bring it back', async () => {
    const gate = latch();
    const loaded = latch();
    const app = await startApp({
      ...userRoutes,
      '/slow-write': async (m, req, res) => {
        loaded.open();
        await gate.promise;
        m.session(req).put('flash', 'written after revoke');
        res.end();
      },
    });
    const client = app.client();
    await client.text('/login');
    const id = tokenToId(client.cookie as string);
    const inFlight = client.request('/slow-write');
    await loaded.promise;
    expect(await app.manager.revokeUser('alice')).toBe(1);
    gate.open();
    await inFlight;
    expect(app.store.rows.has(id)).toBe(false);
    expect(await client.text('/read')).toBe('none');
  });
});

describe('maxSessionsPerUser', () => {
  it('revokes the oldest sessions on a sign-in beyond the limit', async () => {
    const app = await startApp(userRoutes, { maxSessionsPerUser: 2 });
    const events: SessionEvent[] = [];
    app.manager.on('revoked', (event) => events.push(event));
    const clients = [app.client(), app.client(), app.client()];
    for (const client of clients) {
      await client.text('/login');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await clients[0]?.text('/read')).toBe('none');
    expect(await clients[1]?.text('/count')).toBe('1');
    expect(await clients[2]?.text('/count')).toBe('1');
    expect(events).toMatchObject([{ reason: 'limit', userId: 'alice' }]);
  });

  it('concurrent sign-ins settle at the limit, never above it', async () => {
    const store = new TestStore();
    store.beforeUpdate = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const app = await startApp(userRoutes, { store, maxSessionsPerUser: 3 });
    const clients = Array.from({ length: 12 }, () => app.client());
    await Promise.all(clients.map((client) => client.text('/login')));
    const live = [...store.rows.values()].filter((row) => row.userId === 'alice');
    expect(live).toHaveLength(3);
    let signedIn = 0;
    for (const client of clients) if ((await client.text('/whoami')) === 'alice') signedIn++;
    expect(signedIn).toBe(3);
  });

  it('needs a store with a per-user index', () => {
    const store = new TestStore();
    store.capabilities = { ...store.capabilities, userIndex: false };
    expect(() => new SessionManager({ store, maxSessionsPerUser: 2 })).toThrow(ConfigurationError);
  });
});
