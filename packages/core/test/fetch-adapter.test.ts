import { describe, expect, it } from 'vitest';
import { SessionManager } from '../src/index.js';
import { TestStore } from './support/test-store.js';

type Data = { count: number };

function cookieOf(response: Response): string {
  const line = response.headers.getSetCookie().find((value) => value.startsWith('__Host-session='));
  return (line ?? '').split(';')[0] ?? '';
}

describe('Fetch API adapter', () => {
  const store = new TestStore();
  const manager = new SessionManager<Data>({ store });
  const handle = manager.fetch(async (request, session) => {
    const path = new URL(request.url).pathname;
    if (path === '/count') {
      session.put('count', (session.get('count') ?? 0) + 1);
      return new Response(String(session.get('count')));
    }
    if (path === '/redirect') {
      manager.session(request).put('count', 100);
      return Response.redirect('https://example.com/next', 303);
    }
    if (path === '/logout') {
      await session.destroy();
      return new Response('bye');
    }
    return new Response(String(session.get('count') ?? 'none'), {
      headers: { 'set-cookie': 'theme=dark' },
    });
  });

  it('loads, commits and sets the cookie on the handler response', async () => {
    const first = await handle(new Request('https://app.test/count'));
    expect(await first.text()).toBe('1');
    const cookie = cookieOf(first);
    expect(cookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}$/);
    expect(first.headers.get('vary')).toBe('Cookie');
    const second = await handle(new Request('https://app.test/count', { headers: { cookie } }));
    expect(await second.text()).toBe('2');
  });

  it('adds the cookie to responses with immutable headers (Response.redirect)', async () => {
    const response = await handle(new Request('https://app.test/redirect'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://example.com/next');
    expect(cookieOf(response)).toMatch(/^__Host-session=/);
  });

  it('keeps the handler cookies and sets none of its own when nothing changed', async () => {
    const response = await handle(new Request('https://app.test/read'));
    expect(response.headers.getSetCookie()).toEqual(['theme=dark']);
  });

  it('clears the cookie on destroy', async () => {
    const first = await handle(new Request('https://app.test/count'));
    const response = await handle(
      new Request('https://app.test/logout', { headers: { cookie: cookieOf(first) } }),
    );
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-session=;.*Max-Age=0/);
  });

  it('answers 503 when the store is down', async () => {
    store.down = true;
    try {
      const response = await handle(
        new Request('https://app.test/read', {
          headers: { cookie: `__Host-session=${'a'.repeat(43)}` },
        }),
      );
      expect(response.status).toBe(503);
    } finally {
      store.down = false;
    }
  });
});

describe('several managers in one request', () => {
  it('keep separate cookies and stores', async () => {
    const a = new SessionManager<Data>({ store: new TestStore(), cookie: { name: 'a' } });
    const bStore = new TestStore();
    const b = new SessionManager<Data>({ store: bStore, cookie: { name: 'b' } });
    const handle = a.fetch((outer) =>
      b.fetch((request, session) => {
        a.session(outer).put('count', 1);
        session.put('count', 2);
        expect(b.session(request)).toBe(session);
        return new Response('ok');
      })(outer),
    );
    const response = await handle(new Request('https://app.test/'));
    const names = response.headers.getSetCookie().map((line) => line.split('=')[0]);
    expect(names.sort()).toEqual(['a', 'b']);
    expect(bStore.count('create')).toBe(1);
  });
});
