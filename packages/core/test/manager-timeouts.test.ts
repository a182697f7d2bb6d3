import { describe, expect, it } from 'vitest';
import { tokenToId } from '../src/index.js';
import { routes, startApp } from './support/app.js';
import { manualClock } from './support/clock.js';

describe('timeouts', () => {
  it('the absolute lifetime ends a session however busy it is', async () => {
    const clock = manualClock();
    const app = await startApp(routes, { lifetime: 1500, clock });
    const client = app.client();
    await client.text('/count');
    clock.advance(1499);
    expect(await client.text('/count')).toBe('2');
    clock.advance(1);
    expect(await client.text('/read')).toBe('none');
  });

  it('the idle timeout ends a session left alone, and activity keeps it alive', async () => {
    const clock = manualClock();
    const app = await startApp(routes, {
      lifetime: '1h',
      idleTimeout: 1500,
      touchAfter: 100,
      clock,
    });
    const client = app.client();
    await client.text('/count');
    // Three pauses of 600 ms add up to more than the idle timeout: only the touches keep it.
    for (let i = 0; i < 3; i++) {
      clock.advance(600);
      expect(await client.text('/read')).toBe('1');
    }
    clock.advance(1499);
    expect(await client.text('/read')).toBe('1');
    clock.advance(1500);
    expect(await client.text('/read')).toBe('none');
  });

  it('read-only requests touch the expiry at most once per touchAfter, without rewriting data', async () => {
    const clock = manualClock();
    const app = await startApp(routes, {
      lifetime: '1h',
      idleTimeout: '30m',
      touchAfter: 1500,
      clock,
    });
    const client = app.client();
    await client.text('/count');
    const id = tokenToId(client.cookie as string);
    const firstExpiry = app.store.rows.get(id)?.expiresAt as number;
    for (let i = 0; i < 10; i++) await client.text('/read');
    expect(app.store.count('touch')).toBe(0);
    expect(app.store.count('update')).toBe(0);
    clock.advance(1499);
    await client.text('/read');
    expect(app.store.count('touch')).toBe(0);
    clock.advance(1);
    const response = await client.request('/read');
    expect(app.store.count('touch')).toBe(1);
    expect(app.store.rows.get(id)?.expiresAt).toBeGreaterThan(firstExpiry);
    expect(response.headers.getSetCookie()[0]).toMatch(/^session=[A-Za-z0-9_-]{43};.*Expires=/);
    for (let i = 0; i < 10; i++) await client.text('/read');
    expect(app.store.count('touch')).toBe(1);
  });

  it('a stored session past its idle deadline is rejected even if the store still returns it', async () => {
    const clock = manualClock();
    const app = await startApp(routes, { lifetime: '1h', idleTimeout: 1000, clock });
    const rejected: string[] = [];
    app.manager.on('rejected', (event) => rejected.push(event.reason));
    const client = app.client();
    await client.text('/count');
    const row = app.store.rows.get(tokenToId(client.cookie as string));
    if (!row) throw new Error('no row');
    // A store with a lagging clock: the row is still live to it but idle by the manager's clock.
    row.lastSeenAt -= 2000;
    row.expiresAt = clock() + 60_000;
    expect(await client.text('/read')).toBe('none');
    expect(rejected).toEqual(['idle-timeout']);
  });

  it('without an idle timeout, read-only requests never write', async () => {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/count');
    const before = app.store.calls.length;
    for (let i = 0; i < 10; i++) await client.text('/read');
    expect(app.store.calls.slice(before).every((call) => call === 'find')).toBe(true);
  });
});

describe('clock option', () => {
  it('event times come from the injected clock', async () => {
    const clock = manualClock(Date.UTC(2031, 5, 1));
    const app = await startApp(routes, { clock });
    const times: number[] = [];
    app.manager.on('*', (event) => times.push(event.time));
    await app.client().text('/count');
    expect(times.length).toBeGreaterThan(0);
    expect(new Set(times)).toEqual(new Set([Date.UTC(2031, 5, 1)]));
  });

  it('a clock that is not a function is refused at construction', async () => {
    const { SessionManager, ConfigurationError } = await import('../src/index.js');
    const { TestStore } = await import('./support/test-store.js');
    expect(
      () => new SessionManager({ store: new TestStore(), clock: 5 as unknown as () => number }),
    ).toThrow(ConfigurationError);
  });
});
