import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';
import type { ScenarioServer, ScenarioSetup, StartServer } from './http-scenarios.js';

/** A stack trace line, as Node prints them: never part of an answer to a client. */
const STACK_LINE = /\n\s+at /;

/**
 * What every adapter does when something fails, whatever failed: the app, its error handler,
 * the store on load or on commit. The request gets an HTTP answer (503 with
 * `Cache-Control: no-store` and no stack trace for the store), and the server keeps serving.
 */
export function describeFailureScenarios(name: string, start: StartServer): void {
  describe(`${name}: failures get an answer and the server lives`, () => {
    const send = async (server: ScenarioServer, jar: CookieJar, method: string, path: string) => {
      const response = await fetch(`${server.url}${path}`, { method, headers: jar.header() });
      const body = await response.text();
      jar.receive(response.headers.getSetCookie());
      return { status: response.status, body, headers: response.headers };
    };
    const withServer =
      (
        test: (server: ScenarioServer, jar: CookieJar) => Promise<void>,
        setup: ScenarioSetup = {},
      ) =>
      async () => {
        const server = await start({}, setup);
        try {
          await test(server, new CookieJar(server.cookieName));
        } finally {
          await server.close();
        }
      };
    /** The server still serves: a signed-in session reads back. */
    const stillServes = async (server: ScenarioServer) => {
      const jar = new CookieJar(server.cookieName);
      expect((await send(server, jar, 'POST', '/login?user=after')).status).toBe(200);
      const me = await send(server, jar, 'GET', '/me');
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body).user).toBe('after');
    };
    const expectRetryLater = (answer: Awaited<ReturnType<typeof send>>) => {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('cache-control')).toContain('no-store');
      expect(answer.body).not.toMatch(STACK_LINE);
      expect(answer.headers.getSetCookie()).toEqual([]);
    };

    it(
      'a route that throws gets a 500',
      withServer(async (server, jar) => {
        const answer = await send(server, jar, 'GET', '/throw');
        expect(answer.status).toBe(500);
        expect(answer.body).not.toMatch(STACK_LINE);
        await stillServes(server);
      }),
    );

    it(
      'a route that misuses the response API gets an answer',
      withServer(async (server, jar) => {
        const answer = await send(server, jar, 'GET', '/misuse');
        expect(answer.status).toBeGreaterThanOrEqual(500);
        await stillServes(server);
      }),
    );

    it(
      'a store that fails on load answers 503, then serves again once it is back',
      withServer(async (server, jar) => {
        await send(server, jar, 'POST', '/login?user=alice');
        server.store.down = true;
        expectRetryLater(await send(server, jar, 'GET', '/me'));
        server.store.down = false;
        expect(JSON.parse((await send(server, jar, 'GET', '/me')).body).user).toBe('alice');
        await stillServes(server);
      }),
    );

    it(
      'a store that fails on commit answers 503 instead of the page',
      withServer(async (server, jar) => {
        server.store.failWrites = true;
        expectRetryLater(await send(server, jar, 'POST', '/set?key=a&value=1'));
        expect(jar.value).toBeUndefined();
        server.store.failWrites = false;
        await stillServes(server);
      }),
    );

    it(
      'an error handler that throws still leaves an answer, for a route error and a store outage',
      withServer(
        async (server, jar) => {
          expect((await send(server, jar, 'GET', '/throw')).status).toBeGreaterThanOrEqual(500);
          await send(server, jar, 'POST', '/login?user=alice');
          server.store.down = true;
          const outage = await send(server, jar, 'GET', '/me');
          expect(outage.status).toBeGreaterThanOrEqual(500);
          expect(outage.body).not.toMatch(STACK_LINE);
          server.store.down = false;
          await stillServes(server);
        },
        { errorHandlerThrows: true },
      ),
    );
  });
}
