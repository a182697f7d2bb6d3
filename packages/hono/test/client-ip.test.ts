import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { hallpass, type SessionVariables } from '../src/index.js';

// The README's clientIp: the Node server's address, guarded so `app.request()` (which has no
// server bindings) still works. Both uses must answer, and the real server records the IP.
const readmeClientIp = (c: Parameters<typeof getConnInfo>[0]) =>
  c.env ? getConnInfo(c).remote.address : undefined;

function devicesApp() {
  const store = new MemoryStore({ cleanupIntervalMs: 0 });
  const sessions = new SessionManager({ store, cookie: { secure: false } });
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use(hallpass(sessions, { clientIp: readmeClientIp }));
  app.post('/login', async (c) => {
    await c.var.session.signIn('alice');
    return c.text('ok');
  });
  app.get('/devices', async (c) => {
    const devices = await sessions.listUserSessions(c.var.session.userId, {
      current: c.var.session,
    });
    return c.json(devices.map((device) => device.ip ?? null));
  });
  return app;
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe("the README's clientIp", () => {
  it('works under app.request(), where there is no Node server to ask', async () => {
    const app = devicesApp();
    const login = await app.request('/login', { method: 'POST' });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const devices = await app.request('/devices', { headers: { cookie } });
    expect(devices.status).toBe(200);
    expect(await devices.json()).toEqual([null]);
  });

  it('records the peer address behind @hono/node-server', async () => {
    const app = devicesApp();
    const { port, close } = await new Promise<{ port: number; close: () => void }>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve({ port: info.port, close: () => server.close() }),
      );
    });
    closers.push(close);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/login`, { method: 'POST' });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const devices = await fetch(`${base}/devices`, { headers: { cookie } });
    expect(await devices.json()).toEqual(['127.0.0.1']);
  });
});

describe('client details are read only when something needs them', () => {
  it('a read-only request nobody observes never asks for the address', async () => {
    let reads = 0;
    const sessions = new SessionManager({
      store: new MemoryStore({ cleanupIntervalMs: 0 }),
      cookie: { secure: false },
    });
    const app = new Hono<{ Variables: SessionVariables }>();
    app.use(hallpass(sessions, { clientIp: () => `198.51.100.${++reads}` }));
    app.post('/login', async (c) => {
      await c.var.session.signIn('alice');
      return c.text('ok');
    });
    app.get('/me', (c) => c.json({ user: c.var.session.userId, ip: c.var.session.client.ip }));

    const login = await app.request('/login', { method: 'POST' });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(reads).toBe(1);
    for (let i = 0; i < 3; i++) {
      const me = await app.request('/me', { headers: { cookie } });
      // The stored client, recorded at sign-in; this request's address was never asked for.
      expect(await me.json()).toEqual({ user: 'alice', ip: '198.51.100.1' });
    }
    expect(reads).toBe(1);
  });
});
