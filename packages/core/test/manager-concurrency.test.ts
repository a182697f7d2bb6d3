import { describe, expect, it } from 'vitest';
import { tokenToId } from '../src/index.js';
import { startApp } from './support/app.js';
import { latch } from './support/latch.js';
import { TestStore } from './support/test-store.js';

describe('concurrent requests on one session', () => {
  it('requests changing different keys all survive (conflicts are re-applied)', async () => {
    const store = new TestStore();
    // Every update waits a moment, so the parallel requests really overlap.
    store.beforeUpdate = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const app = await startApp(
      {
        '/start': (m, req, res) => {
          m.session(req).put('count', 0);
          res.end();
        },
        '/set': (m, req, res) => {
          const key = new URL(req.url ?? '', 'http://x').searchParams.get('key') as 'a';
          m.session(req).put(key, 'yes');
          res.end();
        },
        '/keys': (m, req, res) => {
          res.end(JSON.stringify(m.session(req).keys().sort()));
        },
      },
      { store, maxConflictRetries: 50 },
    );
    const client = app.client();
    await client.text('/start');
    const keys = Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const conflictsBefore = store.count('update');
    await Promise.all(keys.map((key) => client.text(`/set?key=${key}`)));
    expect(JSON.parse(await client.text('/keys'))).toEqual(['count', ...keys]);
    // More updates than requests: some commits lost a race and were re-applied.
    expect(store.count('update') - conflictsBefore).toBeGreaterThan(keys.length);
  });

  it('a session destroyed while a slow request runs stays destroyed', async () => {
    const gate = latch();
    const loaded = latch();
    const app = await startApp({
      '/start': (m, req, res) => {
        m.session(req).put('count', 1);
        res.end();
      },
      '/slow': async (m, req, res) => {
        loaded.open();
        await gate.promise;
        m.session(req).put('flash', 'too late');
        res.end();
      },
      '/logout': async (m, req, res) => {
        await m.session(req).destroy();
        res.end();
      },
      '/read': (m, req, res) => {
        res.end(String(m.session(req).get('count') ?? 'none'));
      },
    });
    const client = app.client();
    await client.text('/start');
    const token = client.cookie as string;
    const ended: string[] = [];
    app.manager.on('rejected', (event) => ended.push(event.reason));
    const slow = client.request('/slow');
    await loaded.promise;
    await client.text('/logout');
    gate.open();
    const slowResponse = await slow;
    expect(slowResponse.headers.getSetCookie()[0]).toMatch(/^session=;/);
    expect(app.store.rows.has(tokenToId(token))).toBe(false);
    expect(app.store.rows.size).toBe(0);
    const replay = app.client();
    replay.cookie = token;
    expect(await replay.text('/read')).toBe('none');
    expect(ended).toContain('ended-during-request');
  });

  it('gives up with StoreConflictError after maxConflictRetries and answers 500', async () => {
    const store = new TestStore();
    const app = await startApp(
      {
        '/start': (m, req, res) => {
          m.session(req).put('count', 0);
          res.end();
        },
        '/bump': (m, req, res) => {
          m.session(req).put('count', 1);
          res.end('ok');
        },
      },
      { store, maxConflictRetries: 2 },
    );
    const client = app.client();
    await client.text('/start');
    const id = tokenToId(client.cookie as string);
    // Someone else writes before every one of our updates.
    store.beforeUpdate = async () => {
      const row = store.rows.get(id);
      if (row) row.version++;
    };
    const errors: unknown[] = [];
    app.manager.on('error', (event) => errors.push(event.error));
    const response = await client.request('/bump');
    expect(response.status).toBe(500);
    expect(errors[0]).toMatchObject({ code: 'STORE_CONFLICT' });
    expect(store.count('update')).toBe(3);
  });

  it('a row that turns corrupt during a conflicting commit ends the session instead of failing the request', async () => {
    const store = new TestStore();
    const app = await startApp(
      {
        '/start': (m, req, res) => {
          m.session(req).put('count', 0);
          res.end();
        },
        '/bump': (m, req, res) => {
          m.session(req).put('count', 1);
          res.end('ok');
        },
      },
      { store },
    );
    const client = app.client();
    await client.text('/start');
    const id = tokenToId(client.cookie as string);
    store.beforeUpdate = async () => {
      const row = store.rows.get(id);
      if (row && row.data[0] !== 0xff) {
        row.version++;
        row.data = new Uint8Array([0xff, 0xfe]);
      }
    };
    const errors: unknown[] = [];
    app.manager.on('error', (event) => errors.push(event.error));
    const response = await client.request('/bump');
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()[0]).toMatch(/^session=;/);
    expect(errors[0]).toMatchObject({ code: 'CORRUPT_DATA' });
    expect(store.rows.get(id)?.data).toEqual(new Uint8Array([0xff, 0xfe]));
  });
});
