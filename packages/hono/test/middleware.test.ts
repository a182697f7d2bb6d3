import { sessionSetCookie } from '@hallpass/conformance';
import { HTTPException } from 'hono/http-exception';
import { streamText } from 'hono/streaming';
import { describe, expect, it } from 'vitest';
import { buildApp } from './support/app.js';

const cookieOf = (response: Response, name = '__Host-session') =>
  sessionSetCookie(response.headers.getSetCookie(), name);

describe('@hallpass/hono middleware', () => {
  it('sends no cookie for a request that leaves the session untouched', async () => {
    const { app } = buildApp();
    const response = await app.request('/me');
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.json()).toEqual({ user: null, id: null });
  });

  it('sets one cookie with the configured attributes, Vary and Cache-Control', async () => {
    const { app } = buildApp({ cookie: { name: '__Host-sid', sameSite: 'strict' } });
    const response = await app.request('/login?user=alice', { method: 'POST' });
    const cookie = cookieOf(response, '__Host-sid');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(cookie?.attributes.get('samesite')?.toLowerCase()).toBe('strict');
    expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(response.headers.get('cache-control')).toContain('no-cache="Set-Cookie"');
    const me = await app.request('/me', { headers: { cookie: `__Host-sid=${cookie?.value}` } });
    expect((await me.json()).user).toBe('alice');
  });

  it("replaces the app's own Set-Cookie for the session name and keeps its other cookies", async () => {
    const { app } = buildApp();
    app.get('/cookies', (c) => {
      c.header('set-cookie', '__Host-session=forged; Path=/', { append: true });
      c.header('set-cookie', 'theme=dark; Path=/', { append: true });
      c.header('vary', 'Accept-Encoding');
      c.var.session.put('visits', 1);
      return c.text('ok');
    });
    const response = await app.request('/cookies');
    const lines = response.headers.getSetCookie();
    expect(lines.filter((line) => line.startsWith('__Host-session='))).toHaveLength(1);
    expect(cookieOf(response)?.value).not.toBe('forged');
    expect(lines).toContain('theme=dark; Path=/');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
  });

  it('adds the cookie to a redirect, whose headers are immutable', async () => {
    const { app } = buildApp();
    app.post('/go', (c) => {
      c.var.session.put('visits', 1);
      return Response.redirect('http://localhost/next', 303);
    });
    const response = await app.request('/go', { method: 'POST' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://localhost/next');
    expect(cookieOf(response)?.value).toBeDefined();
  });

  it('clears a cookie that names no session', async () => {
    const { app } = buildApp();
    const response = await app.request('/me', {
      headers: { cookie: '__Host-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(cookieOf(response)?.cleared).toBe(true);
  });

  it('exposes the same session through manager.session(c.req.raw)', async () => {
    const { app, manager } = buildApp();
    app.get('/same', (c) => c.json({ same: manager.session(c.req.raw) === c.var.session }));
    expect(await (await app.request('/same')).json()).toEqual({ same: true });
  });

  it('answers 503 without running the handler when the store is down at load', async () => {
    const { app, store } = buildApp();
    let ran = false;
    app.get('/guarded', (c) => {
      ran = true;
      return c.text('secret');
    });
    const login = await app.request('/login?user=alice', { method: 'POST' });
    store.down = true;
    const response = await app.request('/guarded', {
      headers: { cookie: `__Host-session=${cookieOf(login)?.value}` },
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(ran).toBe(false);
  });

  it('answers 503 instead of the page when the commit fails, and reports the error', async () => {
    const { app, store, manager } = buildApp();
    const phases: string[] = [];
    manager.on('error', (event) => phases.push(event.phase));
    app.get('/write-then-fail', (c) => {
      c.var.session.put('visits', 1);
      store.down = true;
      return c.text('should not be sent');
    });
    const response = await app.request('/write-then-fail');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(phases).toEqual(['commit']);
  });

  it('uses onError for the failure response', async () => {
    const { app, store } = buildApp(
      {},
      { onError: (_error, c) => c.html('<p>Sessions are down, try again soon.</p>', 503) },
    );
    store.down = true;
    const response = await app.request('/me', {
      headers: { cookie: '__Host-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('try again soon');
  });

  it('commits the session when a handler throws and the error handler answers', async () => {
    const { app } = buildApp();
    app.get('/boom', (c) => {
      c.var.session.put('visits', 7);
      throw new HTTPException(418, { message: 'teapot' });
    });
    const response = await app.request('/boom');
    expect(response.status).toBe(418);
    const all = await app.request('/all', {
      headers: { cookie: `__Host-session=${cookieOf(response)?.value}` },
    });
    expect(await all.json()).toEqual({ visits: 7 });
  });

  it('sets the cookie on a streamed response', async () => {
    const { app } = buildApp();
    app.get('/stream', (c) => {
      c.var.session.put('visits', 41);
      return streamText(c, async (stream) => {
        await stream.write('chunk one, ');
        await stream.write('chunk two');
      });
    });
    const response = await app.request('/stream');
    expect(await response.text()).toBe('chunk one, chunk two');
    const all = await app.request('/all', {
      headers: { cookie: `__Host-session=${cookieOf(response)?.value}` },
    });
    expect(await all.json()).toEqual({ visits: 41 });
  });
});
