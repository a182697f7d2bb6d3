import { describe, expect, it } from 'vitest';
import { SessionManager } from '../src/index.js';
import { manualClock } from './support/clock.js';
import { TestStore } from './support/test-store.js';

type Data = { role: string; visits: number };

/**
 * A: a request that only counts a visit. B: a concurrent request that changes privileges.
 * Both load the same session; B commits first, so A's commit loses the compare-and-set race
 * and rebases. The rebase must keep B's change: A only replays what A itself did.
 */
async function race(
  changePrivileges: (session: Awaited<ReturnType<SessionManager<Data>['load']>>) => void,
) {
  const clock = manualClock();
  const store = new TestStore(clock);
  const manager = new SessionManager<Data>({ store, clock, lifetime: '1h' });
  const first = await manager.load(undefined);
  await first.signIn('alice');
  first.put('role', 'admin');
  first.rememberMe(true);
  await first.commit();
  const cookie = `__Host-session=${first.token}`;

  const a = await manager.load(cookie);
  const b = await manager.load(cookie);
  changePrivileges(b);
  await b.commit();
  const updatesBefore = store.count('update');
  a.put('visits', 1);
  await a.commit();
  // A's first update was refused (conflict) and the rebased one went through.
  expect(store.count('update') - updatesBefore).toBe(2);
  const after = await manager.load(cookie);
  return { manager, after };
}

describe('a commit that loses a race replays only its own changes', () => {
  it('a concurrent sign-out (setUser(null), role removed) stays signed out', async () => {
    const { manager, after } = await race((b) => {
      b.setUser(null);
      b.remove('role');
    });
    expect(after.userId).toBeNull();
    expect(after.get('role')).toBeUndefined();
    expect(after.get('visits')).toBe(1);
    expect(await manager.listUserSessions('alice')).toEqual([]);
  });

  it('a concurrent switch to another user is kept', async () => {
    const { manager, after } = await race((b) => b.setUser('bob'));
    expect(after.userId).toBe('bob');
    expect(after.get('visits')).toBe(1);
    expect(await manager.listUserSessions('alice')).toEqual([]);
    expect((await manager.listUserSessions('bob')).map((s) => s.id)).toEqual([after.id]);
  });

  it('a concurrent "forget me" (rememberMe(false)) is kept', async () => {
    const { after } = await race((b) => b.rememberMe(false));
    expect(after.userId).toBe('alice');
    expect(after.get('visits')).toBe(1);
    // A non-persistent session sends a browser-session cookie: no Expires, no Max-Age.
    after.put('visits', 2);
    expect(after.setCookieHeader()).not.toMatch(/expires|max-age/i);
  });

  it("a concurrent value change and the rebased request's own value both survive", async () => {
    const { after } = await race((b) => b.put('role', 'viewer'));
    expect(after.userId).toBe('alice');
    expect(after.get('role')).toBe('viewer');
    expect(after.get('visits')).toBe(1);
  });
});
