import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import signature from 'cookie-signature';
import session, { type Store as ExpressStore } from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { expressSession, type LegacyImportOptions, type LegacyReader } from '../../src/index.js';
import { authApp } from './auth-app.js';
import { Browser } from './browser.js';
import { serve } from './serve.js';

/** One run's old store, as the app had it, and a look inside it. */
export interface LegacyBackend {
  /** The express-session store the app used before the switch. */
  store: ExpressStore;
  /** The hallpass reader for the same data. */
  reader: LegacyReader;
  /** Whether the old store still holds the session. */
  holds(sid: string): Promise<boolean>;
  cleanup(): Promise<void>;
}

const OLD_SECRET = 'old-secret-from-before-the-rotation';
const NEW_SECRET = 'new-secret-after-the-rotation';

/**
 * The import story against one real express-session store: sessions are created by
 * express-session itself over HTTP, then the app switches to hallpass and the same browser
 * comes back.
 */
export function describeLegacyImport(
  name: string,
  available: boolean,
  open: () => Promise<LegacyBackend>,
): void {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start() {
    const backend = await open();
    cleanups.push(backend.cleanup);
    const before = await serve(
      authApp(
        session({
          store: backend.store,
          secret: [OLD_SECRET],
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: 3_600_000 },
        }),
      ),
    );
    cleanups.push(before.close);
    const hallpassStore = new MemoryStore();
    cleanups.push(() => hallpassStore.close());
    const manager = new SessionManager({
      store: hallpassStore,
      cookie: { name: 'sid', secure: false },
    });
    /** The app after the switch, importing with these legacy options. */
    const after = async (legacy: Partial<LegacyImportOptions> = {}) => {
      const app = authApp(
        expressSession(manager, {
          legacy: { reader: backend.reader, secrets: [NEW_SECRET, OLD_SECRET], ...legacy },
        }),
      );
      const server = await serve(app);
      cleanups.push(server.close);
      return (browser: Browser) => new Browser(server.url).adopt(browser);
    };
    /** A browser signed in to the old app, with a visit count of 2. */
    const signedIn = async () => {
      const browser = new Browser(before.url);
      await browser.post('/login', { username: 'alice', password: 'wonderland' });
      await browser.request('/count');
      expect(await browser.json('/count')).toEqual({ count: 2 });
      const cookie = decodeURIComponent(browser.cookies.get('connect.sid') as string);
      const sid = signature.unsign(cookie.slice(2), OLD_SECRET) as string;
      expect(await backend.holds(sid)).toBe(true);
      return { browser, sid };
    };
    return { backend, manager, after, signedIn, before };
  }

  describe.skipIf(!available)(`importing express-session sessions from ${name}`, () => {
    it('keeps the browser signed in with its data, exactly once', async () => {
      const { backend, manager, after, signedIn } = await start();
      const { browser, sid } = await signedIn();
      const open = await after();
      const alice = open(browser);
      const replay = open(browser);

      expect((await alice.json<{ user: string }>('/me')).user).toBe('Alice');
      expect(alice.cookies.has('connect.sid')).toBe(false);
      expect(alice.cookies.has('sid')).toBe(true);
      expect(await alice.json('/count')).toEqual({ count: 3 });
      expect(await manager.listUserSessions('u-alice')).toHaveLength(1);
      expect(await backend.holds(sid)).toBe(false);

      // The same old cookie again (a copy of the jar from before the switch) gets nothing.
      expect((await replay.request('/me')).status).toBe(401);
      expect(await manager.listUserSessions('u-alice')).toHaveLength(1);
    });

    it('refuses forged, unsigned and wrongly signed cookies, and leaves the old session alone', async () => {
      const { backend, after, signedIn } = await start();
      const { browser, sid } = await signedIn();
      const forgeries = [
        `s:${sid}.${'A'.repeat(43)}`,
        sid,
        `s:${signature.sign(sid, 'a-secret-the-attacker-chose')}`,
      ];
      const open = await after();
      for (const forged of forgeries) {
        const attacker = open(new Browser('http://unused'));
        attacker.cookies.set('connect.sid', encodeURIComponent(forged));
        expect((await attacker.request('/me')).status).toBe(401);
      }
      // Without the old secret in the list, the real cookie is refused too, and kept in the
      // browser: adding the secret back imports it.
      const withoutOld = await after({ secrets: [NEW_SECRET] });
      const alice = withoutOld(browser);
      expect((await alice.request('/me')).status).toBe(401);
      expect(alice.cookies.has('connect.sid')).toBe(true);
      expect(await backend.holds(sid)).toBe(true);
      expect((await open(alice).json<{ user: string }>('/me')).user).toBe('Alice');
    });

    it('imports once when two requests race with the same old cookie', async () => {
      const { manager, after, signedIn } = await start();
      const { browser } = await signedIn();
      const open = await after();
      const statuses = await Promise.all([
        open(browser).request('/me'),
        open(browser).request('/me'),
      ]);
      expect(statuses.map((r) => r.status).sort()).toEqual([200, 401]);
      expect(await manager.listUserSessions('u-alice')).toHaveLength(1);
    });

    it('deleteAfterImport: false keeps the old session, so a rollback still finds it', async () => {
      const { backend, after, signedIn, before } = await start();
      const { browser, sid } = await signedIn();
      const open = await after({ deleteAfterImport: false });
      expect((await open(browser).json<{ user: string }>('/me')).user).toBe('Alice');
      expect(await backend.holds(sid)).toBe(true);
      const rolledBack = new Browser(before.url).adopt(browser);
      expect((await rolledBack.json<{ user: string }>('/me')).user).toBe('Alice');
    });
  });
}
