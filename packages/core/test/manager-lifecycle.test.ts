import { describe, expect, it } from 'vitest';
import { tokenToId } from '../src/index.js';
import { routes, startApp } from './support/app.js';

describe('SessionManager lifecycle over HTTP', () => {
  it('writes nothing and sets no cookie for a request that does not use the session', async () => {
    const app = await startApp(routes);
    const response = await app.client().request('/read');
    expect(await response.text()).toBe('none');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(app.store.calls).toEqual([]);
  });

  it('creates a session on first write and reads it back on the next request', async () => {
    const app = await startApp(routes);
    const client = app.client();
    expect(await client.text('/count')).toBe('1');
    expect(client.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await client.text('/count')).toBe('2');
    expect(await client.text('/read')).toBe('2');
    expect(app.store.count('create')).toBe(1);
    expect(app.store.count('update')).toBe(1);
  });

  it('stores the session under the hash of the token, never the token', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    const token = client.cookie as string;
    expect([...app.store.rows.keys()]).toEqual([tokenToId(token)]);
    const persisted = JSON.stringify(
      [...app.store.rows.values()].map((row) => ({
        ...row,
        data: Buffer.from(row.data).toString('latin1'),
      })),
    );
    expect(persisted).not.toContain(token);
  });

  it('renewToken issues a new cookie and the old token stops working', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    const before = client.cookie as string;
    await client.text('/renew');
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(before);
    expect(await client.text('/read')).toBe('1');
    const stale = app.client();
    stale.cookie = before;
    expect(await stale.text('/read')).toBe('none');
    expect(app.store.rows.has(tokenToId(before))).toBe(false);
  });

  it('signIn renews the token and records the user for the per-user index', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    const anonymous = client.cookie;
    await client.text('/login');
    expect(client.cookie).not.toBe(anonymous);
    const row = app.store.rows.get(tokenToId(client.cookie as string));
    expect(row?.userId).toBe('alice');
  });

  it('destroy deletes the session and clears the cookie', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    const token = client.cookie as string;
    const response = await client.request('/logout');
    const line = response.headers.getSetCookie()[0] ?? '';
    expect(line).toMatch(/^session=;/);
    expect(line).toMatch(/Max-Age=0/);
    expect(client.cookie).toBeUndefined();
    expect(app.store.rows.size).toBe(0);
    const replay = app.client();
    replay.cookie = token;
    expect(await replay.text('/read')).toBe('none');
  });

  it('a write after destroy starts a new session with a new token', async () => {
    const app = await startApp({
      ...routes,
      '/restart': async (m, req, res) => {
        const session = m.session(req);
        await session.destroy();
        session.put('flash', 'signed out');
        res.end();
      },
    });
    const client = app.client();
    await client.text('/count');
    const first = client.cookie;
    await client.text('/restart');
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(first);
    expect(app.store.rows.size).toBe(1);
  });

  it('pop returns a value once (flash messages)', async () => {
    const app = await startApp({
      '/set': (m, req, res) => {
        m.session(req).put('flash', 'saved!');
        res.end();
      },
      '/show': (m, req, res) => {
        res.end(m.session(req).pop('flash') ?? '-');
      },
    });
    const client = app.client();
    await client.text('/set');
    expect(await client.text('/show')).toBe('saved!');
    expect(await client.text('/show')).toBe('-');
  });

  it('session() outside a loaded request throws a typed error', async () => {
    const app = await startApp(routes);
    expect(() => app.manager.session({})).toThrow(/no session is loaded/);
    expect(() => app.manager.session({})).toThrow(
      expect.objectContaining({ code: 'SESSION_NOT_LOADED' }),
    );
  });

  it('a streamed response still carries the cookie and the write lands before it ends', async () => {
    const app = await startApp({
      '/stream': (m, req, res) => {
        m.session(req).put('count', 41);
        res.write('part one;');
        setTimeout(() => res.end('part two'), 20);
      },
      '/read': routes['/read']!,
    });
    const client = app.client();
    expect(await client.text('/stream')).toBe('part one;part two');
    expect(client.cookie).toBeDefined();
    expect(await client.text('/read')).toBe('41');
  });

  it('changes after the response was committed are refused, not silently lost', async () => {
    let late: unknown;
    const app = await startApp({
      '/late': (m, req, res) => {
        const session = m.session(req);
        res.on('finish', () => {
          try {
            session.put('count', 1);
          } catch (error) {
            late = error;
          }
        });
        res.end('done');
      },
    });
    await app.client().text('/late');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(late).toMatchObject({ code: 'SESSION_NOT_LOADED' });
  });

  it('manager.iterate visits every session and may destroy them', async () => {
    const app = await startApp(routes);
    for (let i = 0; i < 5; i++) await app.client().text('/count');
    await app.client().text('/login');
    let visited = 0;
    await app.manager.iterate(async (session) => {
      visited++;
      if (session.userId === null) await session.destroy();
    });
    expect(visited).toBe(6);
    expect([...app.store.rows.values()].map((row) => row.userId)).toEqual(['alice']);
  });
});
