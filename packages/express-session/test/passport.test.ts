import { SessionManager } from '@hallpass/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expressSession } from '../src/index.js';
import { authApp } from './support/auth-app.js';
import { Browser } from './support/browser.js';
import { everyStore } from './support/hallpass-stores.js';
import { serve } from './support/serve.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

for (const storeCase of everyStore) {
  const available = await storeCase.available();

  describe.skipIf(!available)(
    `passport + passport-local + connect-flash on ${storeCase.name}`,
    () => {
      async function start() {
        const { store, cleanup } = storeCase.open();
        cleanups.push(cleanup);
        const manager = new SessionManager({ store, cookie: { name: 'sid', secure: false } });
        const server = await serve(authApp(expressSession(manager)));
        cleanups.push(server.close);
        return { manager, browser: () => new Browser(server.url) };
      }

      it('signs in, serves the protected page, and signs out with req.logout()', async () => {
        const { manager, browser } = await start();
        const alice = browser();
        expect((await alice.request('/me')).status).toBe(401);

        const login = await alice.post('/login', { username: 'alice', password: 'wonderland' });
        expect(login.status).toBe(302);
        expect(login.headers.get('location')).toBe('/me');
        const me = await alice.json<{ user: string; sessionID: string }>('/me');
        expect(me.user).toBe('Alice');

        // The session is in hallpass's per-user index under passport's serialized user, listed
        // by its public id (req.sessionID), which is not the cookie's token.
        const listed = await manager.listUserSessions('u-alice');
        expect(listed.map((s) => s.id)).toEqual([me.sessionID]);
        expect(alice.cookies.get('sid')).not.toBe(me.sessionID);

        const logout = await alice.request('/logout', { method: 'POST' });
        expect(logout.status).toBe(303);
        expect((await alice.request('/me')).status).toBe(401);
        expect(await manager.listUserSessions('u-alice')).toEqual([]);
      });

      it('regenerates on login: a cookie planted before sign-in is worthless afterwards', async () => {
        const { browser } = await start();
        const victim = browser();
        await victim.request('/count'); // an anonymous session, with a cookie
        const planted = victim.cookies.get('sid');
        expect(planted).toBeDefined();
        const attacker = victim.clone();

        await victim.post('/login', { username: 'alice', password: 'wonderland' });
        expect(victim.cookies.get('sid')).not.toBe(planted);
        expect((await victim.json<{ user: string }>('/me')).user).toBe('Alice');
        expect((await attacker.request('/me')).status).toBe(401);
      });

      it('revokeUser ends every passport session of the user, and only theirs', async () => {
        const { manager, browser } = await start();
        const laptop = browser();
        const phone = browser();
        const bob = browser();
        await laptop.post('/login', { username: 'alice', password: 'wonderland' });
        await phone.post('/login', { username: 'alice', password: 'wonderland' });
        await bob.post('/login', { username: 'bob', password: 'builder' });
        expect(await manager.listUserSessions('u-alice')).toHaveLength(2);

        expect(await manager.revokeUser('u-alice')).toBe(2);
        expect((await laptop.request('/me')).status).toBe(401);
        expect((await phone.request('/me')).status).toBe(401);
        expect((await bob.json<{ user: string }>('/me')).user).toBe('Bob');
      });

      it('starts an empty session on login, as express-session does under passport', async () => {
        const { browser } = await start();
        const alice = browser();
        expect(await alice.json('/count')).toEqual({ count: 1 });
        await alice.post('/login', { username: 'alice', password: 'wonderland' });
        // passport's default regenerates into an empty session, as with express-session.
        expect(await alice.json('/count')).toEqual({ count: 1 });
        expect(await alice.json('/count')).toEqual({ count: 2 });
      });

      it('shows a connect-flash failure message once', async () => {
        const { browser } = await start();
        const mallory = browser();
        const failed = await mallory.post('/login', { username: 'alice', password: 'guess' });
        expect(failed.headers.get('location')).toBe('/login');
        expect(await mallory.json('/login')).toEqual({ errors: ['Wrong username or password'] });
        expect(await mallory.json('/login')).toEqual({ errors: [] });
      });
    },
  );
}
