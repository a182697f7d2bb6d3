import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sessionSetCookie } from '@hallpass/conformance';
import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { hallpass } from '../src/index.js';
import { buildApp } from './support/app.js';

type Built = Awaited<ReturnType<typeof buildApp>>;
const opened: Built[] = [];

async function open(options?: Parameters<typeof buildApp>[0]): Promise<Built> {
  const built = await buildApp(options);
  opened.push(built);
  return built;
}

afterEach(async () => {
  for (const { app, store } of opened.splice(0)) {
    await app.close();
    await store.close();
  }
});

function setCookies(headers: Record<string, unknown>): string[] {
  const value = headers['set-cookie'];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

describe('@hallpass/fastify plugin (inject)', () => {
  it('sends no cookie for a request that leaves the session untouched', async () => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: '/me' });
    expect(response.statusCode).toBe(200);
    expect(setCookies(response.headers)).toEqual([]);
    expect(response.json()).toEqual({ user: null, id: null });
  });

  it('sets one cookie with the configured attributes, Vary and Cache-Control', async () => {
    const { app } = await open({ cookie: { name: '__Host-sid', sameSite: 'strict' } });
    const response = await app.inject({ method: 'POST', url: '/login?user=alice' });
    const cookie = sessionSetCookie(setCookies(response.headers), '__Host-sid');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.get('samesite')?.toLowerCase()).toBe('strict');
    expect(cookie?.attributes.get('path')).toBe('/');
    expect(String(response.headers.vary)).toMatch(/\bCookie\b/);
    expect(String(response.headers['cache-control'])).toContain('no-cache="Set-Cookie"');

    const me = await app.inject({
      method: 'GET',
      url: '/me',
      headers: { cookie: `__Host-sid=${cookie?.value}` },
    });
    expect(me.json().user).toBe('alice');
  });

  it("replaces the app's own Set-Cookie for the session name and keeps its other cookies", async () => {
    const { app } = await open();
    app.get('/cookies', async (request, reply) => {
      reply.header('set-cookie', '__Host-session=forged; Path=/');
      reply.header('set-cookie', 'theme=dark; Path=/');
      reply.header('vary', 'Accept-Encoding');
      request.session.put('visits', 1);
      return 'ok';
    });
    const response = await app.inject({ method: 'GET', url: '/cookies' });
    const lines = setCookies(response.headers);
    expect(lines.filter((line) => line.startsWith('__Host-session='))).toHaveLength(1);
    expect(sessionSetCookie(lines, '__Host-session')?.value).not.toBe('forged');
    expect(lines).toContain('theme=dark; Path=/');
    expect(response.headers.vary).toBe('Accept-Encoding, Cookie');
  });

  it('clears a cookie that names no session', async () => {
    const { app } = await open();
    const response = await app.inject({
      method: 'GET',
      url: '/me',
      headers: { cookie: '__Host-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(response.statusCode).toBe(200);
    expect(sessionSetCookie(setCookies(response.headers), '__Host-session')?.cleared).toBe(true);
  });

  it('exposes the same session through manager.session(request.raw)', async () => {
    const { app, manager } = await open();
    app.get('/same', async (request) => ({
      same: (manager.session(request.raw) as unknown) === request.session,
    }));
    const response = await app.inject({ method: 'GET', url: '/same' });
    expect(response.json()).toEqual({ same: true });
  });

  it('sends a store outage at load to the error handler as a 503, without running the route', async () => {
    const { app, store } = await open();
    const handled: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      handled.push(error);
      reply.send(error);
    });
    let ran = false;
    app.get('/guarded', async () => {
      ran = true;
      return 'secret';
    });
    const login = await app.inject({ method: 'POST', url: '/login?user=alice' });
    const cookie = sessionSetCookie(setCookies(login.headers), '__Host-session');
    store.down = true;
    const response = await app.inject({
      method: 'GET',
      url: '/guarded',
      headers: { cookie: `__Host-session=${cookie?.value}` },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE' });
    expect(response.body).not.toContain('    at ');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(ran).toBe(false);
    expect(handled).toEqual([expect.objectContaining({ code: 'STORE_UNAVAILABLE' })]);
  });

  it('sends a commit failure to the error handler as a 503 instead of the page, and reports it', async () => {
    const { app, store, manager } = await open();
    const errors: string[] = [];
    manager.on('error', (event) => errors.push(event.phase));
    const handled: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      handled.push(error);
      reply.send(error);
    });
    app.get('/write-then-fail', async (request) => {
      request.session.put('visits', 1);
      store.down = true;
      return { page: 'should not be sent' };
    });
    const response = await app.inject({ method: 'GET', url: '/write-then-fail' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE' });
    expect(response.body).not.toContain('should not be sent');
    expect(response.body).not.toContain('    at ');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(setCookies(response.headers)).toEqual([]);
    expect(errors).toEqual(['commit']);
    expect(handled).toEqual([expect.objectContaining({ code: 'STORE_UNAVAILABLE' })]);
  });

  it('commits once when an error handler replaces the reply', async () => {
    const { app } = await open();
    app.get('/boom', async (request) => {
      request.session.put('visits', 7);
      throw new Error('route failed');
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    const cookie = sessionSetCookie(setCookies(response.headers), '__Host-session');
    expect(cookie?.value).toBeDefined();
    const all = await app.inject({
      method: 'GET',
      url: '/all',
      headers: { cookie: `__Host-session=${cookie?.value}` },
    });
    expect(all.json()).toEqual({ visits: 7 });
  });
});

describe('@hallpass/fastify plugin (real socket)', () => {
  it('sets the cookie on a streamed reply and commits before the body ends', async () => {
    const { app } = await open();
    app.get('/stream', async (request, reply) => {
      request.session.put('visits', 41);
      reply.type('text/plain');
      return reply.send(Readable.from(['chunk one, ', 'chunk two']));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const response = await fetch(`${url}/stream`);
    expect(await response.text()).toBe('chunk one, chunk two');
    const cookie = sessionSetCookie(response.headers.getSetCookie(), '__Host-session');
    expect(cookie?.value).toBeDefined();
    const all = await fetch(`${url}/all`, {
      headers: { cookie: `__Host-session=${cookie?.value}` },
    });
    expect(await all.json()).toEqual({ visits: 41 });
  });

  it('works when registered inside an encapsulated child plugin scope', async () => {
    const store = new MemoryStore({ cleanupIntervalMs: 0 });
    const app = Fastify();
    await app.register(async (child) => {
      await child.register(hallpass, { manager: new SessionManager({ store }) });
      child.get('/count', async (request) => {
        const visits = (request.session.get('visits') ?? 0) + 1;
        request.session.put('visits', visits);
        return { visits };
      });
    });
    try {
      const first = await app.inject({ method: 'GET', url: '/count' });
      const cookie = sessionSetCookie(setCookies(first.headers), '__Host-session');
      const second = await app.inject({
        method: 'GET',
        url: '/count',
        headers: { cookie: `__Host-session=${cookie?.value}` },
      });
      expect(second.json()).toEqual({ visits: 2 });
    } finally {
      await app.close();
      await store.close();
    }
  });
});
