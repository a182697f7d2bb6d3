import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { CookieJar } from '@hallpass/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './support/app.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function serve(app: ReturnType<typeof buildApp>['app']) {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('@hallpass/koa middleware', () => {
  it('a downstream error is answered by Koa with the session cookie, and the change is kept', async () => {
    const { app } = buildApp();
    const url = await serve(app);
    const jar = new CookieJar('__Host-session');
    jar.receive(
      (await fetch(`${url}/login?user=alice`, { method: 'POST' })).headers.getSetCookie(),
    );
    expect(jar.value).toBeDefined();
    const failing = await fetch(`${url}/throw`, { headers: jar.header() });
    expect(failing.status).toBe(500);
    const me = await fetch(`${url}/me`, { headers: jar.header() });
    expect((await me.json()).user).toBe('alice');
  });

  it('sets the cookie on a streamed body, committed before the stream is sent', async () => {
    const built = buildApp();
    built.app.middleware.splice(-1, 1, async (ctx) => {
      ctx.state.session.put('visits', 41);
      ctx.body = Readable.from(['chunk one, ', 'chunk two']);
    });
    const url = await serve(built.app);
    const response = await fetch(`${url}/stream`);
    expect(await response.text()).toBe('chunk one, chunk two');
    const jar = new CookieJar('__Host-session');
    expect(jar.receive(response.headers.getSetCookie())?.value).toBeDefined();
  });

  it('a commit failure on a streamed body answers 503 and destroys the stream', async () => {
    const built = buildApp();
    const body = Readable.from(['never sent']);
    built.app.middleware.splice(-1, 1, async (ctx) => {
      ctx.state.session.put('visits', 1);
      built.store.failWrites = true;
      ctx.body = body;
    });
    const url = await serve(built.app);
    const response = await fetch(`${url}/stream`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.destroyed).toBe(true);
  });
});
