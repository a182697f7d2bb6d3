import { describe, expect, it } from 'vitest';
import { generateToken, type SessionEvent, tokenToId } from '../src/index.js';
import { routes, startApp } from './support/app.js';

describe('failures', () => {
  it('a store that is down at load answers 503 and the server keeps serving', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    app.store.down = true;
    const response = await client.request('/count');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    app.store.down = false;
    expect(await client.text('/count')).toBe('2');
  });

  it('a store that fails at commit answers 503 instead of the handler response, and keeps the old data', async () => {
    const app = await startApp({
      ...routes,
      '/break': (m, req, res) => {
        m.session(req).put('count', 99);
        (app.store as { down: boolean }).down = true;
        res.end('handler says ok');
      },
    });
    const client = app.client();
    await client.text('/count');
    const response = await client.request('/break');
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toEqual([]);
    app.store.down = false;
    expect(await client.text('/read')).toBe('1');
  });

  it('corrupt stored data reads as no session, reports an error event, and is left in place', async () => {
    const app = await startApp(routes);
    const events: SessionEvent[] = [];
    app.manager.on('error', (event) => events.push(event));
    app.manager.on('rejected', (event) => events.push(event));
    const client = app.client();
    await client.text('/count');
    const id = tokenToId(client.cookie as string);
    const row = app.store.rows.get(id);
    if (!row) throw new Error('no row');
    row.data = new Uint8Array([0xff, 0x00, 0x13]);
    expect(await client.text('/read')).toBe('none');
    expect(events.map((event) => event.type)).toEqual(['error', 'rejected']);
    expect(events[1]).toMatchObject({ reason: 'corrupt-data', sessionId: id });
    expect(app.store.rows.get(id)?.data).toEqual(new Uint8Array([0xff, 0x00, 0x13]));
  });

  it('oversized session data is refused with a typed error before anything is written', async () => {
    const app = await startApp(
      {
        '/big': (m, req, res) => {
          m.session(req).put('flash', 'x'.repeat(5000));
          res.end();
        },
      },
      { maxDataBytes: 1024 },
    );
    const errors: unknown[] = [];
    app.manager.on('error', (event) => errors.push(event.error));
    const response = await app.client().request('/big');
    expect(response.status).toBe(500);
    expect(errors[0]).toMatchObject({ code: 'SESSION_TOO_LARGE', limit: 1024 });
    expect(app.store.count('create')).toBe(0);
  });

  it('a throwing handler answers 500 without crashing the server', async () => {
    const app = await startApp({
      ...routes,
      '/throw': () => {
        throw new Error('boom');
      },
    });
    const client = app.client();
    expect((await client.request('/throw')).status).toBe(500);
    expect(await client.text('/count')).toBe('1');
  });

  it('events carry the stored id and never the raw token', async () => {
    const app = await startApp(routes);
    const events: SessionEvent[] = [];
    app.manager.on('*', (event) => events.push(event));
    const client = app.client();
    await client.text('/count');
    await client.text('/login');
    await client.text('/logout');
    const planted = generateToken();
    client.cookie = planted;
    await client.text('/read');
    const types = events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'created',
        'committed',
        'loaded',
        'renewed',
        'destroyed',
        'rejected',
      ]),
    );
    const text = JSON.stringify(events);
    expect(text).not.toContain(planted);
    expect(
      events.every(
        (event) => event.sessionId === null || /^[A-Za-z0-9_-]{43}$/.test(event.sessionId),
      ),
    ).toBe(true);
  });

  it('with storeTimeout, a backend that stops answering gets 503 instead of a hung request', async () => {
    const app = await startApp(routes, { storeTimeout: 200 });
    const client = app.client();
    await client.text('/count');
    app.store.stalled = true;
    const errors: unknown[] = [];
    app.manager.on('error', (event) => errors.push(event.error));
    const response = await client.request('/count');
    expect(response.status).toBe(503);
    expect(errors[0]).toMatchObject({ code: 'STORE_ABORTED' });
    app.store.stalled = false;
    expect(await client.text('/count')).toBe('2');
  });
});
