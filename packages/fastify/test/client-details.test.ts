import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { hallpass } from '../src/index.js';

const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('client details are read only when something needs them', () => {
  it('a read-only request nobody observes never asks for the address', async () => {
    let reads = 0;
    const manager = new SessionManager({
      store: new MemoryStore({ cleanupIntervalMs: 0 }),
      cookie: { secure: false },
    });
    const app = Fastify();
    apps.push(app);
    await app.register(hallpass, { manager, clientIp: () => `198.51.100.${++reads}` });
    app.post('/login', async (request) => {
      await request.session.signIn('alice');
      return { ok: true };
    });
    app.get('/me', async (request) => ({
      user: request.session.userId,
      ip: request.session.client.ip ?? null,
    }));

    const login = await app.inject({ method: 'POST', url: '/login' });
    const setCookie = login.headers['set-cookie'];
    const cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0];
    expect(reads).toBe(1);
    for (let i = 0; i < 3; i++) {
      const me = await app.inject({ method: 'GET', url: '/me', headers: { cookie } });
      expect(me.json()).toEqual({ user: 'alice', ip: '198.51.100.1' });
    }
    expect(reads).toBe(1);
  });
});
