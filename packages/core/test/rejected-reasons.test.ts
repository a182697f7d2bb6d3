import { describe, expect, it } from 'vitest';
import { type SessionEvent, tokenToId } from '../src/index.js';
import { routes, startApp } from './support/app.js';
import { manualClock } from './support/clock.js';

/**
 * The manager's own checks, with the store's expiry out of the way: the TestStore keeps
 * returning a row whose stored expiresAt is pushed far out, so only the manager can end it.
 */
async function setup(options: Parameters<typeof startApp>[1]) {
  const app = await startApp(routes, options);
  const rejected: string[] = [];
  app.manager.on('rejected', (event) => rejected.push(event.reason));
  const client = app.client();
  await client.text('/count');
  const row = app.store.rows.get(tokenToId(client.cookie as string));
  if (!row) throw new Error('no row');
  row.expiresAt = Number.MAX_SAFE_INTEGER;
  return { app, client, row, rejected };
}

describe('the manager ends sessions itself, whatever the store returns', () => {
  it('absolute-timeout exactly at the deadline', async () => {
    const clock = manualClock();
    const { client, rejected } = await setup({ lifetime: 1000, clock });
    clock.advance(999);
    expect(await client.text('/read')).toBe('1');
    clock.advance(1);
    expect(await client.text('/read')).toBe('none');
    expect(rejected).toEqual(['absolute-timeout']);
  });

  it('idle-timeout exactly at the idle deadline', async () => {
    const clock = manualClock();
    const { client, rejected } = await setup({
      lifetime: '1h',
      idleTimeout: 1000,
      touchAfter: 999,
      clock,
    });
    clock.advance(998);
    expect(await client.text('/read'), 'not touched: under touchAfter').toBe('1');
    clock.advance(2);
    expect(await client.text('/read')).toBe('none');
    expect(rejected).toEqual(['idle-timeout']);
  });

  it('clock skew: a lastSeenAt an hour ahead (a writer whose clock runs ahead) cannot keep an idle session alive', async () => {
    const clock = manualClock();
    const { client, row, rejected } = await setup({
      lifetime: '30d',
      idleTimeout: 1000,
      touchAfter: 100,
      clock,
    });
    row.lastSeenAt = clock() + 3_600_000;
    clock.advance(2000);
    expect(await client.text('/read')).toBe('none');
    expect(rejected).toEqual(['idle-timeout']);
  });

  it('clock skew: exactly 60 s ahead is tolerated, and without an idle timeout lastSeenAt does not matter', async () => {
    const clock = manualClock();
    const tolerated = await setup({ lifetime: '1h', idleTimeout: '10m', clock });
    tolerated.row.lastSeenAt = clock() + 60_000;
    expect(await tolerated.client.text('/read')).toBe('1');
    tolerated.row.lastSeenAt = clock() + 60_001;
    expect(await tolerated.client.text('/read')).toBe('none');

    const noIdle = await setup({ lifetime: '1h', clock });
    noIdle.row.lastSeenAt = clock() + 3_600_000;
    expect(await noIdle.client.text('/read')).toBe('1');
  });

  it('unknown-token for a well-formed token the store does not know', async () => {
    const app = await startApp(routes);
    const rejected: SessionEvent[] = [];
    app.manager.on('rejected', (event) => rejected.push(event));
    const client = app.client();
    client.cookie = 'A'.repeat(43);
    expect(await client.text('/read')).toBe('none');
    expect(rejected).toMatchObject([
      { reason: 'unknown-token', sessionId: tokenToId('A'.repeat(43)) },
    ]);
  });
});
