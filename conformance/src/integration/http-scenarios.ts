import type { SessionManagerOptions, UserIndexStore } from '@hallpass/core';
import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';
import { describeFailureScenarios } from './failure-scenarios.js';
import type { SwitchableStore } from './switchable-store.js';

/**
 * The HTTP session scenarios for framework integrations (Fastify, Hono, your own): the same
 * flows as describeStore's "SessionManager over HTTP" group, but through the integration under
 * test instead of core's node:http handler, over a real socket against an app that
 * exposes these routes (query parameters only, so no body parser is involved):
 *   POST /login?user=U   signIn(U) and put('user', U)
 *   GET  /me[?wait=MS]   { user, id }, optionally after a pause
 *   POST /renew          renewToken()
 *   POST /logout         destroy()
 *   POST /set?key=K&value=V[&wait=MS]   put(K, V), optionally after a pause (to overlap requests)
 *   GET  /all            every value
 *   GET  /throw          the route throws an Error
 *   GET  /misuse         the route misuses the framework's response API the way a bug would
 *                        (node: `res.end(123)`; see each adapter's test app)
 * and whose store is `switchable` (an outage on load, or on commit only).
 */
export interface ScenarioServer {
  url: string;
  cookieName: string;
  store: SwitchableStore<UserIndexStore>;
  close(): Promise<void>;
}

/** How the failure scenarios set the app up besides the manager's options. */
export interface ScenarioSetup {
  /**
   * The adapter's `onError` option, or where it has none the framework's error handler,
   * throws: the request must still get an answer.
   */
  errorHandlerThrows?: boolean;
}

export type StartServer = (
  options?: Partial<SessionManagerOptions>,
  setup?: ScenarioSetup,
) => Promise<ScenarioServer>;

export function describeHttpScenarios(name: string, start: StartServer): void {
  describe(`${name}: HTTP session scenarios`, () => {
    // Each test gets its own server; `server` is only read by the test that started it, so a
    // test that overruns its timeout can never close the next test's server.
    const request = async (
      server: ScenarioServer,
      jar: CookieJar,
      method: string,
      path: string,
    ) => {
      const response = await fetch(`${server.url}${path}`, { method, headers: jar.header() });
      const body = await response.text();
      const set = jar.receive(response.headers.getSetCookie());
      return { status: response.status, body, set, json: () => JSON.parse(body) };
    };

    type Request = (jar: CookieJar, method: string, path: string) => ReturnType<typeof request>;
    const withServer =
      (
        test: (jar: () => CookieJar, request: Request, server: ScenarioServer) => Promise<void>,
        options?: Partial<SessionManagerOptions>,
      ) =>
      async () => {
        const server = await start(options);
        try {
          await test(
            () => new CookieJar(server.cookieName),
            (jar, method, path) => request(server, jar, method, path),
            server,
          );
        } finally {
          await server.close();
        }
      };

    it(
      'login sets a cookie that reads back, replaces the anonymous token (fixation) and drops pre-login values',
      withServer(async (jar, request) => {
        const client = jar();
        await request(client, 'POST', '/set?key=cart&value=3');
        const anonymous = client.value;
        expect(anonymous).toBeDefined();

        const login = await request(client, 'POST', '/login?user=alice');
        expect(login.status).toBe(200);
        expect(client.value).toBeDefined();
        expect(client.value).not.toBe(anonymous);
        expect((await request(client, 'GET', '/me')).json().user).toBe('alice');
        // signIn starts the signed-in session empty: nothing from before sign-in survives it.
        expect((await request(client, 'GET', '/all')).json()).not.toHaveProperty('cart');

        const planted = jar();
        planted.value = anonymous;
        expect((await request(planted, 'GET', '/me')).json().user).toBeNull();
      }),
    );

    it(
      'renewal issues a new token and retires the old one',
      withServer(async (jar, request) => {
        const client = jar();
        await request(client, 'POST', '/login?user=bob');
        const before = client.value;
        const renewed = await request(client, 'POST', '/renew');
        expect(renewed.set?.value).toBeDefined();
        expect(client.value).not.toBe(before);
        expect((await request(client, 'GET', '/me')).json().user).toBe('bob');

        const old = jar();
        old.value = before;
        const stale = await request(old, 'GET', '/me');
        expect(stale.json().user).toBeNull();
        expect(stale.set?.cleared).toBe(true);
      }),
    );

    it(
      'logout clears the cookie and the session stays destroyed',
      withServer(async (jar, request) => {
        const client = jar();
        await request(client, 'POST', '/login?user=carol');
        const token = client.value;
        const logout = await request(client, 'POST', '/logout');
        expect(logout.set?.cleared).toBe(true);
        expect(client.value).toBeUndefined();

        const stale = jar();
        stale.value = token;
        const write = await request(stale, 'POST', '/set?key=after&value=logout');
        expect(write.status).toBe(200);
        // The write starts a brand-new anonymous session; the old token never comes back.
        expect(stale.value).toBeDefined();
        expect(stale.value).not.toBe(token);
        const revived = jar();
        revived.value = token;
        const me = (await request(revived, 'GET', '/me')).json();
        expect(me.user).toBeNull();
      }),
    );

    it(
      'a slow write that finishes after logout does not bring the session back',
      withServer(async (jar, request) => {
        const client = jar();
        await request(client, 'POST', '/login?user=dave');
        const slow = jar();
        slow.value = client.value;
        const pending = request(slow, 'POST', '/set?key=late&value=1&wait=150');
        await request(client, 'POST', '/logout');
        await pending;
        const check = jar();
        check.value = slow.value;
        expect((await request(check, 'GET', '/me')).json().user).toBeNull();
      }),
    );

    it(
      'a slow read-only request does not revive a destroyed session (touch path)',
      withServer(
        async (jar, request) => {
          const client = jar();
          await request(client, 'POST', '/login?user=fred');
          const slow = jar();
          slow.value = client.value;
          const pending = request(slow, 'GET', '/me?wait=150');
          await request(client, 'POST', '/logout');
          await pending;
          const check = jar();
          check.value = slow.value;
          expect((await request(check, 'GET', '/me')).json().user).toBeNull();
        },
        { idleTimeout: '1h', touchAfter: 0 },
      ),
    );

    it(
      'a session revoked with deleteByUser during a slow request stays revoked',
      withServer(async (jar, request, server) => {
        const client = jar();
        await request(client, 'POST', '/login?user=gina');
        const slow = jar();
        slow.value = client.value;
        const pending = request(slow, 'POST', '/set?key=late&value=1&wait=150');
        expect(await server.store.deleteByUser('gina')).toBe(1);
        await pending;
        expect(await server.store.listByUser('gina')).toEqual([]);
        expect((await request(client, 'GET', '/me')).json().user).toBeNull();
      }),
    );

    it(
      'concurrent requests changing different keys lose nothing',
      withServer(async (jar, request) => {
        const client = jar();
        await request(client, 'POST', '/login?user=erin');
        // Each writer can lose the compare-and-set race only to the others' single commits:
        // at most writers - 1 times. Ten writers stay within the default 10 retries whatever
        // the scheduling; twelve could exhaust them (seen under load: one 500 in a CI run).
        const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
        const writes = await Promise.all(
          keys.map((key) => {
            const copy = jar();
            copy.value = client.value;
            return request(copy, 'POST', `/set?key=${key}&value=${key}&wait=20`);
          }),
        );
        // Every writer gets its answer: losing the compare-and-set race is retried, not a 500.
        expect(writes.map((write) => write.status)).toEqual(keys.map(() => 200));
        const all = (await request(client, 'GET', '/all')).json();
        for (const key of keys) expect(all[key]).toBe(key);
        expect(all.user).toBe('erin');
      }),
    );
  });
  describeFailureScenarios(name, start);
}
