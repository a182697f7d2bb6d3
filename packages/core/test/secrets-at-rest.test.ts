import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateToken } from '../src/index.js';
import { adapterPaths } from './support/adapters.js';
import { routes, startApp } from './support/app.js';
import type { TestStore } from './support/test-store.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Every way a token could show up in text or bytes: as sent, its 32 raw bytes, and those bytes
 * in hex, standard base64 and latin1 (what a driver might write), plus a percent-encoded form.
 * Raw-byte forms are cut to 16 bytes so a transform that keeps half of the token still shows.
 */
function encodings(token: string): string[] {
  const bytes = Buffer.from(token, 'base64url');
  const half = bytes.subarray(0, 16);
  return [
    token,
    token.slice(0, 22),
    token.slice(21),
    encodeURIComponent(token),
    bytes.toString('hex'),
    half.toString('hex'),
    bytes.toString('base64').replace(/=+$/, ''),
    half.toString('base64').slice(0, 20),
    half.toString('latin1'),
    bytes.subarray(16).toString('latin1'),
  ];
}

/** Everything a store holds, as text: ids, every field, data bytes in several encodings. */
function dump(store: TestStore): string {
  return [...store.rows.entries()]
    .map(([key, row]) => {
      const data = Buffer.from(row.data);
      return [
        key,
        inspect({ ...row, data: undefined }),
        data.toString('latin1'),
        data.toString('hex'),
        data.toString('base64'),
      ].join('\n');
    })
    .join('\n');
}

function bitsDiffering(a: string, b: string): number {
  const x = Buffer.from(a, 'base64url');
  const y = Buffer.from(b, 'base64url');
  let bits = 0;
  for (let i = 0; i < x.length; i++) {
    let v = (x[i] as number) ^ (y[i] as number);
    while (v) {
      bits += v & 1;
      v >>= 1;
    }
  }
  return bits;
}

describe('tokens at rest: what the store holds cannot be turned back into a cookie', () => {
  it('no row holds the token in any encoding, and ids behave like a one-way hash', async () => {
    const app = await startApp(routes);
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) {
      const client = app.client();
      await client.text('/count');
      if (i % 2) await client.text('/login');
      tokens.push(client.cookie as string);
    }
    const text = dump(app.store);
    for (const token of tokens) {
      for (const form of encodings(token)) expect(text).not.toContain(form);
    }
    const ids = [...app.store.rows.keys()];
    expect(ids).toHaveLength(tokens.length);
    // Full width: 256 bits, every bit position set in some ids and clear in others.
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    const ones = Array.from({ length: 256 }, (_, bit) =>
      ids.filter((id) => ((Buffer.from(id, 'base64url')[bit >> 3] as number) >> (bit & 7)) & 1),
    ).map((set) => set.length);
    expect(Math.min(...ones)).toBeGreaterThan(0);
    expect(Math.max(...ones)).toBeLessThan(ids.length);
    // Unrelated: two ids differ in about half their bits (128 of 256; far below 80 or above
    // 176 would show structure, e.g. an id that keeps part of the token).
    for (let i = 1; i < ids.length; i++) {
      const differing = bitsDiffering(ids[i - 1] as string, ids[i] as string);
      expect(differing).toBeGreaterThan(80);
      expect(differing).toBeLessThan(176);
    }
  });

  it('tokens one character apart are looked up under unrelated ids (avalanche)', async () => {
    const app = await startApp(routes);
    const looked: string[] = [];
    const find = app.store.find.bind(app.store);
    app.store.find = (id, options) => {
      looked.push(id);
      return find(id, options);
    };
    for (let i = 0; i < 20; i++) {
      const token = generateToken();
      const neighbour = `${token.slice(0, 42)}${token[42] === 'A' ? 'B' : 'A'}`;
      for (const value of [token, neighbour]) {
        const client = app.client();
        client.cookie = value;
        await client.text('/read');
      }
      const [a, b] = looked.splice(0) as [string, string];
      expect(bitsDiffering(a, b)).toBeGreaterThan(80);
    }
  });
});

describe('no token in any event, diagnostics message or console output', () => {
  it('across sign-in, renewal, rejection, a failed commit and sign-out', async () => {
    const output: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        output.push(inspect(args, { depth: 10 }));
      });
    }
    vi.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
      output.push(inspect(args, { depth: 10 }));
    });
    const published: unknown[] = [];
    const onPublish = (message: unknown) => published.push(message);
    diagnosticsChannel.subscribe('hallpass:session', onPublish);
    try {
      const app = await startApp({
        ...routes,
        '/fail': (m, req, res) => {
          m.session(req).put('count', 99);
          app.store.down = true;
          res.end('x');
        },
      });
      const events: unknown[] = [];
      app.manager.on('*', (event) => events.push(event));
      const tokens: string[] = [];
      const client = app.client();
      const remember = () => client.cookie && tokens.push(client.cookie);
      await client.text('/count');
      remember();
      await client.text('/login');
      remember();
      await client.text('/renew');
      remember();
      await client.text('/count');
      remember();
      expect((await client.request('/fail')).status).toBe(503);
      app.store.down = false;
      const planted = generateToken();
      tokens.push(planted);
      const stranger = app.client();
      stranger.cookie = planted;
      await stranger.text('/read');
      await client.text('/logout');
      expect(new Set(tokens).size).toBeGreaterThanOrEqual(4);
      const types = new Set(events.map((event) => (event as { type: string }).type));
      for (const type of ['created', 'renewed', 'committed', 'rejected', 'error', 'destroyed']) {
        expect(types, type).toContain(type);
      }
      expect(published.length).toBe(events.length);
      expect(output.length, 'the unobserved-error log is not used: a listener is there').toBe(0);
      const text = inspect([events, published, output], { depth: 20 });
      for (const token of tokens) {
        for (const form of encodings(token)) expect(text).not.toContain(form);
      }
    } finally {
      diagnosticsChannel.unsubscribe('hallpass:session', onPublish);
    }
  });

  it('the unobserved-error log carries no token either', async () => {
    const output: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      output.push(inspect(args, { depth: 10 }));
    });
    const app = await adapterPaths['node handler()']?.();
    if (!app) throw new Error('no adapter');
    const token = (await app.send('write')).headers.getSetCookie()[0]?.split(/[=;]/)[1] as string;
    app.store.down = true;
    expect((await app.send('write', `session=${token}`)).status).toBe(503);
    expect(output).toHaveLength(1);
    for (const form of encodings(token)) expect(output[0]).not.toContain(form);
  });
});

describe.each(Object.entries(adapterPaths))('a store failure, through %s', (_name, start) => {
  it('at load: 503, Cache-Control: no-store, no Set-Cookie', async () => {
    const app = await start();
    app.manager.on('error', () => {});
    app.store.down = true;
    const response = await app.send('read', `session=${'A'.repeat(43)}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('at commit: 503, Cache-Control: no-store, no Set-Cookie, not the handler body', async () => {
    const app = await start();
    app.manager.on('error', () => {});
    const response = await app.send('write-then-store-down');
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).not.toBe('1');
  });
});
