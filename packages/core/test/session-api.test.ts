import { describe, expect, it } from 'vitest';
import type { SessionManager, SessionManagerOptions } from '../src/index.js';
import { manualManager } from './support/manual-manager.js';

type Data = { role: string; cart: string; flash: string };

const HOUR = 3_600_000;

const setup = (options: Partial<SessionManagerOptions> = {}) => manualManager<Data>(options);

/** A stored session (role=admin) and the Cookie header that names it. */
async function stored(manager: SessionManager<Data>, client = {}) {
  const session = await manager.load(undefined, client);
  session.put('role', 'admin');
  await session.commit();
  return { session, cookie: `session=${session.token}` };
}

describe('Session: what it reports about itself', () => {
  it('a new session starts now and ends one lifetime later; a loaded one keeps both', async () => {
    const { manager, clock } = setup();
    const start = clock();
    const fresh = await manager.load(undefined);
    expect(fresh.createdAt).toBe(start);
    expect(fresh.deadline).toBe(start + HOUR);
    expect(fresh.isNew).toBe(true);
    expect(fresh.id).toBeNull();
    fresh.put('role', 'admin');
    await fresh.commit();
    clock.advance(60_000);
    const again = await manager.load(`session=${fresh.token}`);
    expect(again.createdAt).toBe(start);
    expect(again.deadline).toBe(start + HOUR);
    expect(again.isNew).toBe(false);
    expect(again.id).toBe(fresh.id);
    expect(again.get('role')).toBe('admin');
  });

  it('expiresAt counts the idle timeout from the last time the session was seen', async () => {
    const { manager, clock } = setup({ idleTimeout: '10m' });
    const start = clock();
    const fresh = await manager.load(undefined);
    expect(fresh.expiresAt).toBe(start + 600_000);
    fresh.put('role', 'admin');
    await fresh.commit();
    clock.advance(120_000);
    const again = await manager.load(`session=${fresh.token}`);
    // Seen at `start` (the commit); this request's read has not been recorded yet.
    expect(again.expiresAt).toBe(start + 600_000);
  });

  it('records the client without fields it did not send, and hands out a copy', async () => {
    const { manager } = setup();
    const { cookie, session: first } = await stored(manager, { ip: '192.0.2.1' });
    expect(Object.keys(first.client)).toEqual(['ip']);
    const again = await manager.load(cookie, { ip: '192.0.2.1' });
    expect(Object.keys(again.client)).toEqual(['ip']);
    const copy = again.client;
    copy.ip = '198.51.100.9';
    expect(again.client.ip).toBe('192.0.2.1');
  });

  it('the id of a renewed session is known before its commit, and is the id it is stored under', async () => {
    const { manager, store } = setup();
    const { cookie, session: first } = await stored(manager);
    const session = await manager.load(cookie);
    await session.renewToken();
    const id = session.id;
    expect(id).not.toBeNull();
    expect(id).not.toBe(first.id);
    await session.commit();
    expect(store.rows.has(id as string)).toBe(true);
    expect(session.id).toBe(id);
  });

  it("names the manager's cookie", async () => {
    const { manager } = setup({ cookie: { name: 'sid', secure: false } });
    expect((await manager.load(undefined)).cookieName).toBe('sid');
  });
});

describe('Session: values', () => {
  it('pop of a key that is not there changes nothing, so nothing is written', async () => {
    const { manager, store } = setup();
    const { cookie } = await stored(manager);
    const session = await manager.load(cookie);
    const calls = store.calls.length;
    expect(session.pop('flash')).toBeUndefined();
    expect(session.status).toBe('unmodified');
    await session.commit();
    expect(store.calls.slice(calls)).not.toContain('update');
  });

  it('clear removes every value but keeps the session and its token', async () => {
    const { manager, store } = setup();
    const { cookie, session: first } = await stored(manager);
    const session = await manager.load(cookie);
    session.put('cart', 'book');
    session.clear();
    expect(session.keys()).toEqual([]);
    expect(session.status).toBe('modified');
    await session.commit();
    const again = await manager.load(cookie);
    expect(again.id).toBe(first.id);
    expect(again.keys()).toEqual([]);
    expect(store.rows.size).toBe(1);
  });

  it('setUser(null) signs the user out of the per-user index without ending the session', async () => {
    const { manager } = setup();
    const session = await manager.load(undefined);
    await session.signIn('alice');
    await session.commit();
    const again = await manager.load(`session=${session.token}`);
    again.setUser(null);
    expect(again.userId).toBeNull();
    await again.commit();
    expect(await manager.listUserSessions('alice')).toEqual([]);
    expect((await manager.load(`session=${session.token}`)).userId).toBeNull();
  });
});

describe('Session: lifecycle', () => {
  it('destroy forgets everything this request held: values, user, token, remember-me', async () => {
    const { manager, events, clock } = setup({ cookie: { secure: false, persist: false } });
    const session = await manager.load(undefined, { userAgent: 'UA' });
    await session.signIn('alice');
    session.rememberMe(true);
    session.put('role', 'admin');
    await session.commit();
    const id = session.id;
    const again = await manager.load(`session=${session.token}`, { userAgent: 'UA' });
    events.length = 0;
    await again.destroy();
    expect(events).toEqual([
      {
        type: 'destroyed',
        time: clock(),
        sessionId: id,
        userId: 'alice',
        userAgent: 'UA',
        ip: undefined,
      },
    ]);
    expect(again.status).toBe('destroyed');
    expect(again.keys()).toEqual([]);
    expect(again.userId).toBeNull();
    expect(again.token).toBeNull();
    expect(again.id).toBeNull();
    expect(again.setCookieHeader()).toMatch(/^session=;.*Max-Age=0/i);
    // A write after destroy starts a new session: a new lifetime, and the manager's own
    // (session-only) cookie, not the remember-me of the session that ended.
    clock.advance(10 * 60_000);
    again.put('flash', 'bye');
    expect(again.createdAt).toBe(clock());
    expect(again.deadline).toBe(clock() + HOUR);
    const cookie = again.setCookieHeader();
    expect(cookie).toMatch(/^session=[^;]+;/);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });

  it('destroy of a session never stored deletes nothing and reports nothing', async () => {
    const { manager, store, events } = setup();
    const session = await manager.load(undefined);
    await session.destroy();
    expect(store.calls).not.toContain('delete');
    expect(events.filter((event) => event.type === 'destroyed')).toEqual([]);
  });

  it('after the request committed it, every change is refused', async () => {
    const { manager } = setup();
    const { cookie } = await stored(manager);
    const request = {};
    const begun = await manager.begin(request, { cookieHeader: cookie });
    if (!begun.ok) throw begun.error;
    await begun.finish();
    const session = begun.session;
    // The message says what happened, not the default "is the middleware installed?".
    const closed = expect.objectContaining({
      code: 'SESSION_NOT_LOADED',
      message: expect.stringContaining('already committed'),
    });
    expect(() => session.put('role', 'x')).toThrow(closed);
    expect(() => session.remove('role')).toThrow(closed);
    expect(() => session.clear()).toThrow(closed);
    await expect(session.destroy()).rejects.toThrow(closed);
    await expect(session.renewToken()).rejects.toThrow(closed);
    await expect(session.mergeSession(cookie.slice('session='.length))).rejects.toThrow(closed);
    expect((await manager.load(cookie)).get('role')).toBe('admin');
  });

  it('renewToken refuses a session reached by id only, and leaves its row alone', async () => {
    const { manager, store } = setup();
    await stored(manager);
    const errors: unknown[] = [];
    await manager.iterate(async (session) => {
      await session.renewToken().catch((error) => errors.push(error));
    });
    expect(errors).toEqual([
      expect.objectContaining({ code: 'NO_TOKEN', message: expect.stringContaining('by id only') }),
    ]);
    expect(store.rows.size).toBe(1);
  });

  it('renewed events name the previous id, and a reason only when hallpass renewed by itself', async () => {
    const { manager, events } = setup();
    const { cookie, session: first } = await stored(manager);
    const session = await manager.load(cookie);
    events.length = 0;
    await session.renewToken();
    const renewed = events.filter((event) => event.type === 'renewed');
    expect(renewed).toHaveLength(1);
    expect(renewed[0]).toMatchObject({ previousSessionId: first.id });
    expect(renewed[0]).not.toHaveProperty('reason');
    const fresh = await manager.load(undefined);
    events.length = 0;
    await fresh.renewToken();
    expect(events.find((event) => event.type === 'renewed')).toMatchObject({
      previousSessionId: null,
    });
  });

  it('right after renewToken, before the commit, setCookieHeader already carries the new token', async () => {
    const { manager } = setup();
    const { cookie } = await stored(manager);
    const session = await manager.load(cookie);
    await session.renewToken();
    expect(session.setCookieHeader()).toMatch(new RegExp(`^session=${session.token};`));
  });

  it('signIn keeps only the listed keys that exist, and a new lifetime starts its createdAt', async () => {
    const { manager, clock } = setup();
    const { cookie } = await stored(manager);
    clock.advance(5 * 60_000);
    const session = await manager.load(cookie);
    session.put('cart', 'book');
    await session.signIn('alice', { keep: ['cart', 'flash'] });
    expect(session.keys()).toEqual(['cart']);
    expect(session.exists('flash')).toBe(false);
    expect(session.createdAt).toBe(clock());
    await session.commit();
    const signedIn = await manager.load(`session=${session.token}`);
    expect(signedIn.createdAt).toBe(clock());
    expect(signedIn.get('cart')).toBe('book');
  });

  it('signIn with newLifetime: false keeps createdAt as well as the deadline', async () => {
    const { manager, clock } = setup();
    const start = clock();
    const { cookie } = await stored(manager);
    clock.advance(5 * 60_000);
    const session = await manager.load(cookie);
    await session.signIn('alice', { newLifetime: false });
    expect(session.createdAt).toBe(start);
    expect(session.deadline).toBe(start + HOUR);
  });
});

describe('Session.mergeSession', () => {
  it('merging its own token is a no-op: the session and its row stay', async () => {
    const { manager, store } = setup();
    const { cookie } = await stored(manager);
    const session = await manager.load(cookie);
    await session.mergeSession(session.token as string);
    expect(session.status).toBe('unmodified');
    expect(store.calls).not.toContain('delete');
    expect((await manager.load(cookie)).get('role')).toBe('admin');
  });

  it('takes the other session values and a later deadline, never an earlier one', async () => {
    const { manager, store, clock } = setup();
    const { session: older } = await stored(manager);
    clock.advance(10 * 60_000);
    const newer = await manager.load(undefined);
    newer.put('cart', 'book');
    await newer.commit();
    // The older session, merged into the newer one, brings its values but not its earlier end.
    await newer.mergeSession(older.token as string);
    expect(newer.get('role')).toBe('admin');
    expect(newer.deadline).toBe(clock() + HOUR);
    expect(store.rows.has(older.id as string)).toBe(false);
    // And the other way round the later deadline is adopted.
    const { session: early } = await stored(manager);
    clock.advance(10 * 60_000);
    const late = await manager.load(undefined);
    late.put('cart', 'pen');
    await late.commit();
    await early.mergeSession(late.token as string);
    expect(early.deadline).toBe(late.deadline);
    expect(early.get('cart')).toBe('pen');
  });

  it('a token with no readable session merges nothing; a malformed one is not even looked up', async () => {
    const { manager, store } = setup();
    const { cookie } = await stored(manager);
    const session = await manager.load(cookie);
    const gone = await manager.load(undefined);
    await gone.renewToken(); // a well-formed token that was never stored
    const calls = store.calls.length;
    await session.mergeSession('not a token');
    expect(store.calls.slice(calls)).toEqual([]);
    await session.mergeSession(gone.token as string);
    expect(store.calls.slice(calls)).toEqual(['find']);
    expect(session.status).toBe('unmodified');
    expect(session.keys()).toEqual(['role']);
  });

  it('a session whose data is unreadable is not merged, stays stored, and is reported', async () => {
    const { manager, store, events } = setup();
    const { cookie } = await stored(manager);
    const { session: other } = await stored(manager);
    const row = store.rows.get(other.id as string);
    if (!row) throw new Error('no row');
    row.data = new Uint8Array([0xff, 0x00, 0x7b]);
    const session = await manager.load(cookie);
    events.length = 0;
    await session.mergeSession(other.token as string);
    expect(session.status).toBe('unmodified');
    expect(store.rows.has(other.id as string)).toBe(true);
    expect(events).toMatchObject([{ type: 'error', phase: 'commit', sessionId: other.id }]);
  });
});

describe('a commit that fails', () => {
  it('reports the error with the time, the session and its user', async () => {
    const { manager, store, events, clock } = setup();
    const { cookie } = await stored(manager);
    const first = await manager.load(cookie);
    await first.signIn('alice');
    await first.commit();
    const begun = await manager.begin({}, { cookieHeader: `session=${first.token}` });
    if (!begun.ok) throw begun.error;
    begun.session.put('cart', 'book');
    store.down = true;
    clock.advance(1000);
    events.length = 0;
    const finished = await begun.finish();
    expect(finished.ok).toBe(false);
    expect(events).toEqual([
      {
        type: 'error',
        time: clock(),
        sessionId: first.id,
        userId: 'alice',
        error: expect.any(Error),
        phase: 'commit',
      },
    ]);
  });
});
