import {
  isWellFormedToken,
  type SessionManagerOptions,
  tokenToId,
  type UserIndexStore,
} from '@hallpass/core';
import { expect, type TestContext } from 'vitest';
import { expectLive } from '../assertions.js';
import type { SuiteContext } from '../context.js';
import { randomUserId, sleep } from '../fixtures.js';
import { startApp, type TestApp } from '../http-app.js';
import { entriesMentioning } from './raw-inspection.js';

/** Rule 8: the SessionManager over a real node:http server, on the store under test. */
export function httpSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;

  const open = async (t: TestContext, options?: Omit<SessionManagerOptions, 'store'>) => {
    // The manager reads the same clock as the store, so idle and lifetime follow the test's clock.
    const app = await startApp(ctx.store, { clock: ctx.clock.now, ...options });
    t.onTestFinished(() => app.close());
    return app;
  };

  /** Signs a new user in; returns the user id and the session token from the cookie. */
  const login = async (app: TestApp, token?: string) => {
    const user = randomUserId();
    const reply = await app.request(`/login?user=${user}`, token);
    expect(reply.status, 'login status').toBe(200);
    if (reply.cookie === null || reply.cookie === 'cleared' || !isWellFormedToken(reply.cookie)) {
      throw new Error(`login did not set a well-formed session cookie (got ${reply.cookie})`);
    }
    return { user, token: reply.cookie };
  };

  ctx.group('SessionManager over HTTP', () => {
    ctx.test(
      'login sets a cookie; the store holds the session under the hash of the token, never the token',
      { http: true },
      async (t) => {
        const app = await open(t);
        const { user, token } = await login(app);
        const session = expectLive(await ctx.store.find(tokenToId(token)), 'session by token hash');
        expect(session.userId).toBe(user);
        expect(await ctx.store.find(token), 'a session stored under the raw token').toBeNull();
      },
    );

    ctx.test('the cookie reads the session back on later requests', { http: true }, async (t) => {
      const app = await open(t);
      const { user, token } = await login(app);
      expect((await app.request('/put?key=theme&value=dark', token)).status).toBe(200);
      const read = await app.request('/read', token);
      expect(read.values).toEqual({ user, theme: 'dark' });
      expect(read.userId).toBe(user);
    });

    ctx.test(
      'renewToken changes the cookie, keeps the values, and the old token stops working',
      { http: true },
      async (t) => {
        const app = await open(t);
        const { user, token: before } = await login(app);
        await app.request('/put?key=cart&value=3', before);
        const renewed = await app.request('/renew', before);
        const after = renewed.cookie;
        if (after === null || after === 'cleared') throw new Error('renew set no new cookie');
        expect(after, 'token after renewal').not.toBe(before);
        expect((await app.request('/read', after)).values).toEqual({ user, cart: '3' });
        const stale = await app.request('/read', before);
        expect(stale.values, 'values read with the old token').toEqual({});
        expect(stale.cookie, 'the old cookie is cleared').toBe('cleared');
        expect(await ctx.store.find(tokenToId(before)), 'old session in the store').toBeNull();
        expectLive(await ctx.store.find(tokenToId(after)), 'renewed session in the store');
      },
    );

    ctx.test(
      'logout destroys the session: the cookie is cleared and the old token stops working',
      { http: true },
      async (t) => {
        const app = await open(t);
        const { token } = await login(app);
        const logout = await app.request('/logout', token);
        expect(logout.status).toBe(200);
        expect(logout.cookie, 'cookie after logout').toBe('cleared');
        expect(await ctx.store.find(tokenToId(token))).toBeNull();
        const read = await app.request('/read', token);
        expect(read.values, 'values read with the logged-out token').toEqual({});
        expect(read.userId).toBeNull();
      },
    );

    ctx.test(
      'concurrent requests changing different keys of one session all persist',
      { http: true, requires: ['versioned'], timeout: testTimeoutMs * 2 },
      async (t) => {
        const writers = 20;
        // The retry budget is the manager's business; this test is about the store's
        // compare-and-set never letting a write overwrite another one unnoticed.
        const app = await open(t, { maxConflictRetries: writers });
        const { user, token } = await login(app);
        // Every request loads the same version and waits at its gate; released one after the
        // other, each commit finds the version changed and must reload and re-apply its key.
        const pending = Array.from({ length: writers }, (_, i) =>
          app.request(`/put?key=k${i}&value=v${i}&gate=w${i}`, token),
        );
        for (let i = 0; i < writers; i++) await app.arrived(`w${i}`);
        for (let i = 0; i < writers; i++) {
          app.release(`w${i}`);
          await sleep(1);
        }
        const replies = await Promise.all(pending);
        for (const [i, reply] of replies.entries()) {
          expect(reply.status, `request ${i}`).toBe(200);
        }
        const expected: Record<string, unknown> = { user };
        for (let i = 0; i < writers; i++) expected[`k${i}`] = `v${i}`;
        expect((await app.request('/read', token)).values).toEqual(expected);
      },
    );

    ctx.test(
      'a session destroyed during a slow request stays destroyed after that request commits',
      { http: true },
      async (t) => {
        const app = await open(t);
        const { token } = await login(app);
        const slow = app.request('/put?key=late&value=1&gate=slow', token);
        await app.arrived('slow');
        expect((await app.request('/logout', token)).cookie).toBe('cleared');
        app.release('slow');
        const slowReply = await slow;
        expect(slowReply.status, 'slow request status').toBe(200);
        expect(slowReply.cookie, 'the slow request does not hand out a session').not.toMatch(
          /^[A-Za-z0-9_-]{43}$/,
        );
        expect(await ctx.store.find(tokenToId(token)), 'session after the slow commit').toBeNull();
        expect((await app.request('/read', token)).values).toEqual({});
      },
    );

    ctx.test(
      'a slow read-only request does not revive a destroyed session (touch path)',
      { http: true },
      async (t) => {
        // touchAfter 0: every request extends the idle expiry, so the slow read ends in a touch.
        const app = await open(t, { idleTimeout: '1h', touchAfter: 0 });
        const { token } = await login(app);
        const slow = app.request('/read?gate=slow', token);
        await app.arrived('slow');
        await app.request('/logout', token);
        app.release('slow');
        await slow;
        expect(await ctx.store.find(tokenToId(token)), 'session after the slow touch').toBeNull();
        expect((await app.request('/read', token)).values).toEqual({});
      },
    );

    ctx.test(
      'a session revoked with deleteByUser during a slow request stays revoked',
      { http: true, requires: ['userIndex'] },
      async (t) => {
        const store = ctx.store as UserIndexStore;
        const app = await open(t);
        const { user, token } = await login(app);
        const slow = app.request('/put?key=late&value=1&gate=slow', token);
        await app.arrived('slow');
        expect(await store.deleteByUser(user)).toBe(1);
        app.release('slow');
        await slow;
        expect(await store.find(tokenToId(token)), 'session after the slow commit').toBeNull();
        expect(await store.listByUser(user)).toEqual([]);
        expect((await app.request('/read', token)).values).toEqual({});
      },
    );

    ctx.test(
      '"sign out everywhere else": deleteByUser with except ends the other devices only',
      { http: true, requires: ['userIndex'] },
      async (t) => {
        const store = ctx.store as UserIndexStore;
        const app = await open(t);
        const { user, token: laptop } = await login(app);
        const phone = await app.request(`/login?user=${user}`);
        if (phone.cookie === null || phone.cookie === 'cleared') throw new Error('no cookie');
        expect((await store.listByUser(user)).map((s) => s.id).sort()).toEqual(
          [tokenToId(laptop), tokenToId(phone.cookie)].sort(),
        );
        expect(await store.deleteByUser(user, { except: tokenToId(laptop) })).toBe(1);
        expect((await app.request('/read', phone.cookie)).values).toEqual({});
        expect((await app.request('/read', laptop)).values).toEqual({ user });
      },
    );

    ctx.test(
      'with an idle timeout, requests keep the session alive in the store; idleness ends it',
      { http: true, timeout: testTimeoutMs + ctx.sleeping(16 * expiryMs) },
      async (t) => {
        const idle = 4 * expiryMs;
        const app = await open(t, { idleTimeout: idle, touchAfter: 0 });
        const { user, token } = await login(app);
        // Six reads an expiry apart: 1.5 idle timeouts in total, each read well within one.
        let lastRead = ctx.clock.now();
        for (let i = 0; i < 6; i++) {
          await ctx.clock.advance(expiryMs);
          const read = await app.request('/read', token);
          const gap = ctx.clock.now() - lastRead;
          expect(read.values, `read ${i}, ${gap}ms after the previous one`).toEqual({ user });
          lastRead = ctx.clock.now();
        }
        await ctx.clock.advance(idle + clockSkewMs);
        expect(await ctx.store.find(tokenToId(token)), 'after an idle timeout').toBeNull();
        expect((await app.request('/read', token)).values).toEqual({});
      },
    );

    ctx.test(
      'tokens are hashed at rest: no raw token appears anywhere in the backend',
      { http: true, inspector: 'entries' },
      async (t) => {
        const app = await open(t);
        const live: string[] = [];
        for (let i = 0; i < 3; i++) {
          const { token } = await login(app);
          await app.request('/put?key=theme&value=dark', token);
          live.push(token);
        }
        const dead = live[0] as string;
        const renewed = await app.request('/renew', dead);
        if (renewed.cookie === null || renewed.cookie === 'cleared') throw new Error('no cookie');
        live[0] = renewed.cookie;

        const entries = await (await ctx.inspector()).entries();
        for (const token of live) {
          expect(
            entriesMentioning(entries, tokenToId(token)).length,
            'entries under the hash of a live token',
          ).toBeGreaterThan(0);
        }
        for (const token of [...live, dead]) {
          const leaked = entriesMentioning(entries, token).map((entry) => entry.key);
          expect(leaked, 'entries containing a raw token').toEqual([]);
        }
      },
    );

    ctx.test(
      'a corrupt session reads as no session through the manager',
      { http: true, inspector: 'corrupt' },
      async (t) => {
        const app = await open(t);
        const { token } = await login(app);
        await (await ctx.inspector()).corrupt!(tokenToId(token));
        try {
          const read = await app.request('/read', token);
          expect(read.status, 'status of a request with a corrupt session').toBe(200);
          expect(read.values).toEqual({});
          expect(read.userId).toBeNull();
        } finally {
          await ctx.store.delete(tokenToId(token));
        }
      },
    );
  });
}
