import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { type HallpassState, hallpass } from '../src/index.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('client details are read only when something needs them', () => {
  it('a read-only request nobody observes never asks for the address', async () => {
    let reads = 0;
    const manager = new SessionManager({
      store: new MemoryStore({ cleanupIntervalMs: 0 }),
      cookie: { secure: false },
    });
    const app = new Koa<HallpassState>();
    app.use(hallpass(manager, { clientIp: () => `198.51.100.${++reads}` }));
    app.use(async (ctx) => {
      const session = ctx.state.session;
      if (ctx.method === 'POST') await session.signIn('alice');
      ctx.body = { user: session.userId, ip: session.client.ip ?? null };
    });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const login = await fetch(`${url}/login`, { method: 'POST' });
    await login.text();
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(reads).toBe(1);
    for (let i = 0; i < 3; i++) {
      const me = await fetch(`${url}/me`, { headers: { cookie } });
      expect(await me.json()).toEqual({ user: 'alice', ip: '198.51.100.1' });
    }
    expect(reads).toBe(1);
  });
});
