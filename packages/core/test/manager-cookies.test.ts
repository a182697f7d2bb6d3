import { describe, expect, it } from 'vitest';
import { ConfigurationError, SessionManager } from '../src/index.js';
import { routes, startApp } from './support/app.js';
import { TestStore } from './support/test-store.js';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Secure and persistent by default', async () => {
    const store = new TestStore();
    const manager = new SessionManager({ store });
    const session = await manager.load(undefined);
    session.put('x', 1);
    const line = session.setCookieHeader() as string;
    expect(line).toMatch(/^__Host-session=[A-Za-z0-9_-]{43};/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Expires=/);
  });

  it('honours name, domain, path, sameSite, partitioned and persist: false', async () => {
    const manager = new SessionManager({
      store: new TestStore(),
      cookie: {
        name: 'sid',
        domain: 'example.com',
        path: '/app',
        sameSite: 'none',
        partitioned: true,
        persist: false,
      },
    });
    const session = await manager.load(undefined);
    session.put('x', 1);
    const line = session.setCookieHeader() as string;
    expect(line).toMatch(/^sid=/);
    expect(line).toMatch(/; Domain=example\.com/);
    expect(line).toMatch(/; Path=\/app/);
    expect(line).toMatch(/; SameSite=None/);
    expect(line).toMatch(/; Partitioned/);
    expect(line).not.toMatch(/Expires|Max-Age/);
  });

  it('rememberMe makes one session persistent when the default is not', async () => {
    const manager = new SessionManager({ store: new TestStore(), cookie: { persist: false } });
    const session = await manager.load(undefined);
    session.rememberMe(true);
    expect(session.setCookieHeader()).toMatch(/Expires=/);
  });

  it.each([
    [{ name: '__Host-sid', secure: false }, /__Host-/],
    [{ name: '__Host-sid', path: '/app' }, /__Host-/],
    [{ name: '__Host-sid', domain: 'example.com' }, /__Host-/],
    [{ name: '__Secure-sid', secure: false }, /__Secure-/],
    [{ sameSite: 'none' as const, secure: false }, /sameSite "none"/],
    [{ partitioned: true, secure: false }, /partitioned/],
    [{ name: 'bad name' }, /not a valid cookie name/],
  ])('refuses impossible cookie options %j at construction', (cookie, message) => {
    expect(() => new SessionManager({ store: new TestStore(), cookie })).toThrow(
      ConfigurationError,
    );
    expect(() => new SessionManager({ store: new TestStore(), cookie })).toThrow(message);
  });

  it('accepts a valid __Host- cookie', async () => {
    const manager = new SessionManager({ store: new TestStore(), cookie: { name: '__Host-sid' } });
    const session = await manager.load(undefined);
    session.put('x', 1);
    expect(session.setCookieHeader()).toMatch(/^__Host-sid=.*; Path=\/.*; Secure/);
  });

  it('refuses an idle timeout longer than the lifetime', () => {
    expect(
      () => new SessionManager({ store: new TestStore(), lifetime: '1h', idleTimeout: '2h' }),
    ).toThrow(/idleTimeout cannot be longer than lifetime/);
  });
});

describe('response headers', () => {
  it('sends exactly one Set-Cookie for the session, keeps the app cookies, and tells caches', async () => {
    const app = await startApp({
      '/': (m, req, res) => {
        res.setHeader('set-cookie', ['theme=dark; Path=/', 'session=forged; Path=/']);
        res.setHeader('vary', 'Accept-Encoding');
        res.setHeader('cache-control', 'private');
        m.session(req).put('count', 1);
        res.end();
      },
    });
    const response = await app.client().request('/');
    const cookies = response.headers.getSetCookie();
    expect(cookies.filter((line) => line.startsWith('session='))).toHaveLength(1);
    expect(cookies.find((line) => line.startsWith('session='))).toMatch(
      /^session=[A-Za-z0-9_-]{43};/,
    );
    expect(cookies).toContain('theme=dark; Path=/');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(response.headers.get('cache-control')).toBe('private, no-cache="Set-Cookie"');
  });

  it('does not query the store for a malformed cookie, and clears it', async () => {
    const app = await startApp(routes);
    const rejected: string[] = [];
    app.manager.on('rejected', (event) => rejected.push(event.reason));
    for (const value of ['x', 'a'.repeat(44), '%00%01', `${'a'.repeat(42)}=`, '"quoted"']) {
      const client = app.client();
      client.cookie = value;
      const response = await client.request('/read');
      expect(await response.text()).toBe('none');
      expect(response.headers.getSetCookie()[0]).toMatch(/^session=;.*Max-Age=0/);
    }
    expect(app.store.calls).toEqual([]);
    expect(rejected).toEqual(Array(5).fill('malformed-token'));
  });

  it('an unknown well-formed token gets a fresh session, never the client-chosen token', async () => {
    const app = await startApp(routes);
    const client = app.client();
    const planted = 'A'.repeat(43);
    client.cookie = planted;
    expect(await client.text('/count')).toBe('1');
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(planted);
  });
});
