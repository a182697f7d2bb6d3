import { ConfigurationError, SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import signature from 'cookie-signature';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ExpressSession,
  expressSession,
  type LegacyImportOptions,
  type LegacyReader,
  type LegacyRecord,
} from '../src/index.js';
import { Browser } from './support/browser.js';
import { serve } from './support/serve.js';

const SECRET = 'the-old-secret';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A reader over a Map: the importer's behaviour without any particular store. */
function mapReader(records: Map<string, LegacyRecord>): LegacyReader {
  return {
    async take(sid) {
      const record = records.get(sid) ?? null;
      records.delete(sid);
      return record;
    },
    async read(sid) {
      return records.get(sid) ?? null;
    },
  };
}

async function start(
  records: Map<string, LegacyRecord>,
  legacy: Partial<LegacyImportOptions> = {},
) {
  const store = new MemoryStore();
  const manager = new SessionManager({ store, cookie: { name: 'sid', secure: false } });
  const app = express();
  app.use(
    expressSession(manager, { legacy: { reader: mapReader(records), secrets: SECRET, ...legacy } }),
  );
  app.get('/', (req, res) => {
    const session = (req as unknown as { session: ExpressSession }).session;
    res.json({ ...session });
  });
  const server = await serve(app);
  cleanups.push(server.close, () => store.close());
  const browser = (sid: string) => {
    const b = new Browser(server.url);
    b.cookies.set('connect.sid', encodeURIComponent(`s:${signature.sign(sid, SECRET)}`));
    return b;
  };
  return { manager, browser };
}

describe('the legacy importer', () => {
  it('does not import a session its store reports expired, and clears the old cookie', async () => {
    const records = new Map([['a', { session: { cookie: {}, n: 1 }, expired: true }]]);
    const { browser } = await start(records);
    const client = browser('a');
    expect(await client.json('/')).toEqual({});
    expect(client.cookies.has('connect.sid')).toBe(false);
    expect(client.cookies.has('sid')).toBe(false);
  });

  it('keeps a browser-session cookie a browser-session cookie', async () => {
    const records = new Map([
      ['b', { session: { cookie: { expires: null }, n: 2 }, expired: false }],
    ]);
    const { browser } = await start(records);
    const response = await browser('b').request('/');
    expect(await response.json()).toEqual({ n: 2 });
    const line = response.headers.getSetCookie().find((l) => l.startsWith('sid=')) as string;
    expect(line).not.toMatch(/Expires=/i);
  });

  it('maps values and user with mapSession, or drops the session when it returns null', async () => {
    const records = new Map([
      ['c', { session: { cookie: {}, account: 'acct-9', theme: 'dark', junk: 1 }, expired: false }],
      ['d', { session: { cookie: {}, account: 'acct-10' }, expired: false }],
    ]);
    const { browser, manager } = await start(records, {
      mapSession: (old) =>
        old.account === 'acct-10'
          ? null
          : { userId: old.account as string, values: { theme: old.theme } },
    });
    expect(await browser('c').json('/')).toEqual({ theme: 'dark' });
    expect(await manager.listUserSessions('acct-9')).toHaveLength(1);
    expect(await browser('d').json('/')).toEqual({});
    expect(await manager.listUserSessions('acct-10')).toHaveLength(0);
  });

  it('refuses a configuration without secrets or reader', () => {
    const manager = new SessionManager({ store: new MemoryStore() });
    const reader = mapReader(new Map());
    expect(() => expressSession(manager, { legacy: { reader, secrets: [] } })).toThrow(
      ConfigurationError,
    );
    expect(() => expressSession(manager, { legacy: { reader, secrets: [''] } })).toThrow(
      ConfigurationError,
    );
    expect(() =>
      expressSession(manager, { legacy: { reader: {} as LegacyReader, secrets: 's' } }),
    ).toThrow(ConfigurationError);
  });
});
