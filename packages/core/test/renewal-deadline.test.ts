import { describe, expect, it } from 'vitest';
import { routes, startApp } from './support/app.js';
import { manualClock } from './support/clock.js';

const as = (userAgent: string): RequestInit => ({ headers: { 'user-agent': userAgent } });

describe('renewal and the absolute deadline', () => {
  it('a binding renewal never moves the deadline: a thief rotating user agents is out at the lifetime', async () => {
    const clock = manualClock();
    const app = await startApp(routes, {
      lifetime: 2000,
      clock,
      binding: { userAgent: true, onMismatch: 'renew' },
    });
    const owner = app.client();
    await owner.text('/count', as('Firefox'));
    const thief = app.client();
    thief.cookie = owner.cookie;
    clock.advance(1000);
    expect(await thief.text('/read', as('curl/1')), 'renewed, still inside the lifetime').toBe('1');
    for (let i = 2; i <= 6; i++) {
      clock.advance(1000);
      expect(await thief.text('/read', as(`curl/${i}`)), `+${i} s`).toBe('none');
    }
  });

  it('renewToken() keeps the deadline of the session it renews', async () => {
    const clock = manualClock();
    const app = await startApp(routes, { lifetime: 2000, clock });
    const client = app.client();
    await client.text('/count');
    clock.advance(1500);
    await client.text('/renew');
    clock.advance(499);
    expect(await client.text('/read')).toBe('1');
    clock.advance(1);
    expect(await client.text('/read')).toBe('none');
  });

  it('signIn starts a new lifetime by default, and keeps the old deadline with newLifetime: false', async () => {
    const clock = manualClock();
    const app = await startApp(
      {
        ...routes,
        '/login-keep-deadline': async (m, req, res) => {
          await m.session(req).signIn('alice', { newLifetime: false, keep: ['count'] });
          res.end('ok');
        },
      },
      { lifetime: 2000, clock },
    );
    const fresh = app.client();
    await fresh.text('/count');
    clock.advance(1500);
    await fresh.text('/login');
    clock.advance(1999);
    expect(await fresh.text('/whoami'), 'a new lifetime from the sign-in').toBe('alice');

    const kept = app.client();
    await kept.text('/count');
    clock.advance(1500);
    await kept.text('/login-keep-deadline');
    clock.advance(499);
    expect(await kept.text('/read')).toBe('1');
    clock.advance(1);
    expect(await kept.text('/read')).toBe('none');
  });
});
