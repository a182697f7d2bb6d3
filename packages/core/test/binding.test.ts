import { describe, expect, it } from 'vitest';
import { addressFromForwardedHeader, type SessionEvent } from '../src/index.js';
import { routes, startApp } from './support/app.js';

const as = (userAgent: string): RequestInit => ({ headers: { 'user-agent': userAgent } });

describe('binding to the client', () => {
  it('reject: a stolen cookie used from another user agent gets no session; the owner keeps it', async () => {
    const app = await startApp(routes, { binding: { userAgent: true } });
    const rejected: SessionEvent[] = [];
    app.manager.on('rejected', (event) => rejected.push(event));
    const owner = app.client();
    await owner.text('/count', as('Firefox'));
    const thief = app.client();
    thief.cookie = owner.cookie;
    expect(await thief.text('/read', as('curl/8'))).toBe('none');
    expect(rejected).toMatchObject([{ reason: 'binding-mismatch', userAgent: 'curl/8' }]);
    expect(await owner.text('/read', as('Firefox'))).toBe('1');
  });

  it('renew: the data stays but the token changes and the new client is recorded', async () => {
    const app = await startApp(routes, { binding: { userAgent: true, onMismatch: 'renew' } });
    const renewed: SessionEvent[] = [];
    app.manager.on('renewed', (event) => renewed.push(event));
    const client = app.client();
    await client.text('/count', as('Browser/1'));
    const before = client.cookie;
    expect(await client.text('/count', as('Browser/2'))).toBe('2');
    expect(client.cookie).not.toBe(before);
    expect(renewed).toMatchObject([{ reason: 'binding-mismatch' }]);
    expect(await client.text('/read', as('Browser/2'))).toBe('2');
    const old = app.client();
    old.cookie = before;
    expect(await old.text('/read', as('Browser/1'))).toBe('none');
  });

  it('without binding, a different user agent is accepted', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count', as('A'));
    expect(await client.text('/read', as('B'))).toBe('1');
  });
});

describe('addressFromForwardedHeader', () => {
  it('trusts exactly the configured number of proxies from the right', () => {
    expect(addressFromForwardedHeader('203.0.113.9', 1)).toBe('203.0.113.9');
    expect(addressFromForwardedHeader('6.6.6.6, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(addressFromForwardedHeader('6.6.6.6, 203.0.113.9, 10.0.0.2', 2)).toBe('203.0.113.9');
    expect(addressFromForwardedHeader('', 1)).toBeUndefined();
    expect(addressFromForwardedHeader('1.1.1.1', 2)).toBeUndefined();
  });
});

describe('IP binding without a visible IP', () => {
  it('fails closed: a session bound to the IP does not load where the adapter sees no IP', async () => {
    const { SessionManager } = await import('../src/index.js');
    const { TestStore } = await import('./support/test-store.js');
    const manager = new SessionManager<{ count: number }>({
      store: new TestStore(),
      binding: { ip: true },
    });
    const rejected: SessionEvent[] = [];
    manager.on('rejected', (event) => rejected.push(event));
    // The Fetch adapter without clientIp cannot see the client's address.
    const handle = manager.fetch(async (_request, session) => {
      session.put('count', (session.get('count') ?? 0) + 1);
      return new Response(String(session.get('count')));
    });
    const first = await handle(new Request('https://app.test/'));
    const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const again = await handle(new Request('https://app.test/', { headers: { cookie } }));
    expect(await again.text(), 'a fresh session, not the bound one').toBe('1');
    expect(rejected).toMatchObject([{ reason: 'binding-mismatch' }]);

    // With clientIp the same session loads.
    const withIp = manager.fetch(
      async (_request, session) => {
        session.put('count', (session.get('count') ?? 0) + 1);
        return new Response(String(session.get('count')));
      },
      { clientIp: () => '203.0.113.9' },
    );
    const bound = await withIp(new Request('https://app.test/'));
    const boundCookie = (bound.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const next = await withIp(
      new Request('https://app.test/', { headers: { cookie: boundCookie } }),
    );
    expect(await next.text()).toBe('2');
  });
});

describe('what each binding compares', () => {
  it('ip compares the address only; userAgent compares the header only', async () => {
    const { SessionManager } = await import('../src/index.js');
    const { TestStore } = await import('./support/test-store.js');
    const run = async (binding: { ip?: boolean; userAgent?: boolean }) => {
      const manager = new SessionManager<{ count: number }>({ store: new TestStore(), binding });
      let ip = '203.0.113.9';
      const handle = manager.fetch(
        async (_request, session) => {
          session.put('count', (session.get('count') ?? 0) + 1);
          return new Response(String(session.get('count')));
        },
        { clientIp: () => ip },
      );
      const send = async (cookie: string, userAgent: string) =>
        (
          await handle(
            new Request('https://app.test/', { headers: { cookie, 'user-agent': userAgent } }),
          )
        ).text();
      const first = await handle(
        new Request('https://app.test/', { headers: { 'user-agent': 'A' } }),
      );
      const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const sameClient = await send(cookie, 'A');
      const otherAgent = await send(cookie, 'B');
      ip = '198.51.100.7';
      const otherAddress = await send(cookie, 'A');
      return { sameClient, otherAgent, otherAddress };
    };
    expect(await run({ ip: true })).toEqual({
      sameClient: '2',
      otherAgent: '3',
      otherAddress: '1',
    });
    expect(await run({ userAgent: true })).toEqual({
      sameClient: '2',
      otherAgent: '1',
      otherAddress: '3',
    });
  });
});

describe('binding, sessions with nothing recorded to compare', () => {
  it('a session whose client sent no User-Agent is not a mismatch for user-agent binding', async () => {
    const app = await startApp(routes, { binding: { userAgent: true } });
    const session = await app.manager.load(undefined, {});
    session.put('count', 7);
    await session.commit();
    const cookie = `session=${session.token}`;
    expect((await app.manager.load(cookie, { userAgent: 'Firefox' })).get('count')).toBe(7);
  });

  it('a session stored before clients were recorded (no client in its data) passes', async () => {
    const { devalueCodec } = await import('../src/index.js');
    const app = await startApp(routes, { binding: { userAgent: true, ip: true } });
    const session = await app.manager.load(undefined, {});
    session.put('count', 3);
    await session.commit();
    const row = [...app.store.rows.values()][0];
    if (!row) throw new Error('no row');
    const { client: _dropped, ...rest } = devalueCodec.decode(row.data);
    row.data = devalueCodec.encode(rest);
    const cookie = `session=${session.token}`;
    expect((await app.manager.load(cookie, { userAgent: 'X', ip: '10.0.0.1' })).get('count')).toBe(
      3,
    );
  });
});
