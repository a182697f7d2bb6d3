import { describe, expect, it } from 'vitest';
import { routes, startApp } from './support/app.js';
import { manualClock } from './support/clock.js';
import { manualManager } from './support/manual-manager.js';

const maxAgeOf = (response: Response) =>
  /;\s*Max-Age=(\d+)/i.exec(response.headers.getSetCookie()[0] ?? '')?.[1];

describe('persistent cookie lifetime', () => {
  it('Max-Age is the seconds left until the session ends, rounded up, never 0', async () => {
    const clock = manualClock();
    const app = await startApp(routes, { lifetime: '1h', clock });
    const client = app.client();
    expect(maxAgeOf(await client.request('/count'))).toBe('3600');
    // 0.4 s left: rounded up to 1, since Max-Age=0 would delete the cookie at once.
    clock.advance(3_599_600);
    expect(maxAgeOf(await client.request('/renew'))).toBe('1');
  });

  it('Max-Age follows the idle deadline when it comes first', async () => {
    const clock = manualClock();
    const app = await startApp(routes, { lifetime: '1h', idleTimeout: 90_500, clock });
    const client = app.client();
    expect(maxAgeOf(await client.request('/count'))).toBe('91');
  });

  it('the cookie ends with the stored row, even when read a while after the commit', async () => {
    const { manager, store, clock } = manualManager({ idleTimeout: '10m' });
    const session = await manager.load(undefined);
    session.put('count', 1);
    await session.commit();
    // An integration that sends its headers late (after streaming, say): the idle deadline
    // counts from the write, not from when the header is built.
    clock.advance(30_000);
    const row = store.rows.get(session.id as string);
    const header = session.setCookieHeader() ?? '';
    expect(header).toMatch(/;\s*Max-Age=570(;|$)/i);
    expect(header).toContain(`Expires=${new Date(row?.expiresAt ?? 0).toUTCString()}`);
  });
});
