import { describe, expect, it } from 'vitest';
import {
  CorruptDataError,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
  SessionTooLargeError,
  StoreConflictError,
} from '../src/index.js';
import { manualClock } from './support/clock.js';
import { TestStore } from './support/test-store.js';

type Data = { role: string; visits: number; extra: string };

function setup(options: Partial<SessionManagerOptions> = {}) {
  const clock = manualClock();
  const store = new TestStore(clock);
  const manager = new SessionManager<Data>({ store, clock, lifetime: '1h', ...options });
  const events: SessionEvent[] = [];
  manager.on('*', (event) => events.push(event));
  return { clock, store, manager, events };
}

async function stored(manager: SessionManager<Data>) {
  const first = await manager.load(undefined);
  await first.signIn('alice');
  first.put('role', 'admin');
  await first.commit();
  return `session=${first.token}`;
}

describe('a rebase keeps what this request set, and only that', () => {
  async function race(
    a: (session: Awaited<ReturnType<SessionManager<Data>['load']>>) => void | Promise<void>,
    b: (session: Awaited<ReturnType<SessionManager<Data>['load']>>) => void | Promise<void>,
  ) {
    const { manager, store, clock } = setup({ cookie: { secure: false } });
    const cookie = await stored(manager);
    const first = await manager.load(cookie);
    const second = await manager.load(cookie);
    await b(second);
    await second.commit();
    await a(first);
    const before = store.count('update');
    await first.commit();
    expect(store.count('update') - before, 'a conflict, then the rebased write').toBe(2);
    return { after: await manager.load(cookie), manager, clock };
  }

  it("its own user change wins over the other request's value change", async () => {
    const { after, manager } = await race(
      (a) => a.setUser('carol'),
      (b) => b.put('visits', 5),
    );
    expect(after.userId).toBe('carol');
    expect(after.get('visits')).toBe(5);
    expect((await manager.listUserSessions('carol')).map((s) => s.id)).toEqual([after.id]);
  });

  it('its own rememberMe(false) is kept', async () => {
    const { after } = await race(
      (a) => a.rememberMe(false),
      (b) => b.put('visits', 5),
    );
    after.put('extra', 'x');
    expect(after.setCookieHeader()).not.toMatch(/expires|max-age/i);
  });

  it('its own remove is kept: the removed value does not come back from the fresh row', async () => {
    const { after } = await race(
      (a) => a.remove('role'),
      (b) => b.put('visits', 5),
    );
    expect(after.exists('role')).toBe(false);
    expect(after.get('visits')).toBe(5);
  });

  it('its own clear is kept: values stored before it, by any request, are gone', async () => {
    const { after } = await race(
      (a) => {
        a.clear();
        a.put('extra', 'x');
      },
      (b) => b.put('visits', 5),
    );
    expect(after.keys()).toEqual(['extra']);
  });

  it("a merge that does not move this request's deadline leaves the other request's extension alone", async () => {
    const { manager, store, clock } = setup({ cookie: { secure: false } });
    const cookie = await stored(manager);
    // Created in the same millisecond as the stored session: the same deadline.
    const twin = await manager.load(undefined);
    twin.put('extra', 'twin');
    await twin.commit();
    clock.advance(600_000);
    const later = await manager.load(undefined);
    later.put('visits', 5);
    await later.commit();
    const first = await manager.load(cookie);
    const second = await manager.load(cookie);
    await second.mergeSession(later.token as string);
    await second.commit();
    await first.mergeSession(twin.token as string);
    const before = store.count('update');
    await first.commit();
    expect(store.count('update') - before).toBe(2);
    const after = await manager.load(cookie);
    expect(after.deadline).toBe(later.deadline);
    expect(after.get('extra')).toBe('twin');
    expect(after.get('visits')).toBe(5);
  });

  it.each([
    ['the other request', 'b'],
    ['this request', 'a'],
  ])('a deadline moved by mergeSession in %s is kept', async (_label, merger) => {
    const { manager, store, clock } = setup({ cookie: { secure: false } });
    const cookie = await stored(manager);
    clock.advance(600_000);
    const later = await manager.load(undefined);
    later.put('extra', 'later');
    await later.commit();
    const first = await manager.load(cookie);
    const second = await manager.load(cookie);
    const earlier = first.deadline;
    if (merger === 'b') await second.mergeSession(later.token as string);
    else second.put('visits', 5);
    await second.commit();
    if (merger === 'a') await first.mergeSession(later.token as string);
    else first.put('visits', 1);
    const before = store.count('update');
    await first.commit();
    expect(store.count('update') - before).toBe(2);
    const after = await manager.load(cookie);
    expect(after.deadline).toBe(earlier + 600_000);
    expect(after.get('extra')).toBe('later');
  });
});

describe('touch without store.touch', () => {
  /** A stored session on a store without touch, loaded once its touch is due. */
  async function touchDue() {
    const app = setup({ idleTimeout: '10m', touchAfter: '1m', cookie: { secure: false } });
    (app.store as { touch?: unknown }).touch = undefined;
    const cookie = await stored(app.manager);
    app.clock.advance(120_000);
    return { ...app, cookie, reader: await app.manager.load(cookie) };
  }

  it('rewrites the row, and a lost race still counts as alive', async () => {
    const { store, manager, clock, events, cookie, reader } = await touchDue();
    await reader.commit();
    expect(store.count('update')).toBe(1);
    expect(events.filter((e) => e.type === 'touched')).toHaveLength(1);
    expect(reader.setCookieHeader()).toMatch(/^session=[A-Za-z0-9_-]{43};/);

    clock.advance(120_000);
    const slow = await manager.load(cookie);
    const fast = await manager.load(cookie);
    fast.put('visits', 1);
    await fast.commit();
    await slow.commit();
    expect(slow.status, 'a conflict on touch: the winner extended it').toBe('unmodified');
    expect((await manager.load(cookie)).get('visits')).toBe(1);
    const stored1 = [...store.rows.values()][0];
    expect(stored1?.expiresAt).toBe(clock() + 600_000);
  });

  it('a row gone before the touch ends the session for this request', async () => {
    const { store, events, reader } = await touchDue();
    store.rows.clear();
    await reader.commit();
    expect(reader.status).toBe('destroyed');
    expect(reader.setCookieHeader()).toMatch(/^session=;.*Max-Age=0/);
    expect(events.at(-1)).toMatchObject({ type: 'rejected', reason: 'ended-during-request' });
  });
});

describe('create', () => {
  it('retries once with a fresh token when the id exists, then gives up with StoreConflictError', async () => {
    const { store, manager } = setup();
    const create = store.create.bind(store);
    let refusals = 1;
    store.create = async (id, record, options) => {
      if (refusals-- > 0) return { ok: false, reason: 'exists' };
      return create(id, record, options);
    };
    const session = await manager.load(undefined);
    session.put('visits', 1);
    const token = session.token;
    await session.commit();
    expect(session.isNew).toBe(false);
    expect(session.token).not.toBe(token);
    // The refused attempt never reached the real store; the retry did.
    expect(store.count('create')).toBe(1);
    expect(store.rows.size).toBe(1);

    refusals = 2;
    const unlucky = await manager.load(undefined);
    unlucky.put('visits', 1);
    await expect(unlucky.commit()).rejects.toThrow(
      new StoreConflictError('could not create a session with a fresh id'),
    );
    expect(store.rows.size).toBe(1);
  });

  it('committed events carry the version written', async () => {
    const { manager, events } = setup();
    const session = await manager.load(undefined);
    session.put('visits', 1);
    await session.commit();
    session.put('visits', 2);
    await session.commit();
    expect(events.filter((e) => e.type === 'committed')).toMatchObject([
      { version: 1, sessionId: session.id },
      { version: 2, sessionId: session.id },
    ]);
  });
});

describe('maxDataBytes', () => {
  it('is the largest accepted size, inclusive', async () => {
    const probe = setup();
    const session = await probe.manager.load(undefined);
    session.put('extra', 'x'.repeat(100));
    await session.commit();
    const size = [...probe.store.rows.values()][0]?.data.byteLength as number;
    for (const [limit, ok] of [
      [size, true],
      [size - 1, false],
    ] as const) {
      const { manager, store } = setup({ maxDataBytes: limit });
      const attempt = await manager.load(undefined);
      attempt.put('extra', 'x'.repeat(100));
      if (ok) await attempt.commit();
      else await expect(attempt.commit()).rejects.toThrow(SessionTooLargeError);
      expect(store.rows.size).toBe(ok ? 1 : 0);
    }
  });
});

describe('a store that reports corrupt data on find', () => {
  it('reads as no session (corrupt-data), reports an error of phase load, never a failure', async () => {
    const { store, manager, events } = setup({ cookie: { secure: false } });
    const cookie = await stored(manager);
    store.find = async () => {
      throw new CorruptDataError('bad row');
    };
    const session = await manager.load(cookie);
    expect(session.isNew).toBe(true);
    expect(events.slice(-2)).toMatchObject([
      { type: 'error', phase: 'load', error: expect.any(CorruptDataError) },
      { type: 'rejected', reason: 'corrupt-data' },
    ]);
  });
});

describe('the per-user limit is enforced after a write that assigned a user, and only then', () => {
  it('a later write of a signed-in session, in the same request or another, does not re-check it', async () => {
    const { store, manager } = setup({ maxSessionsPerUser: 2, cookie: { secure: false } });
    const session = await manager.load(undefined);
    await session.signIn('alice');
    await session.commit();
    expect(store.count('listByUser'), 'checked once after the sign-in').toBe(1);
    session.put('visits', 1);
    await session.commit();
    const again = await manager.load(`session=${session.token}`);
    again.put('visits', 2);
    await again.commit();
    const anonymous = await manager.load(undefined);
    anonymous.put('visits', 1);
    await anonymous.commit();
    anonymous.setUser(null);
    await anonymous.commit();
    expect(store.count('listByUser')).toBe(1);
  });
});

describe('a rebase that finds unreadable data', () => {
  it('ends the session for this request and reports the error with phase commit', async () => {
    const { store, manager, events } = setup({ cookie: { secure: false } });
    const cookie = await stored(manager);
    const first = await manager.load(cookie);
    const second = await manager.load(cookie);
    second.put('visits', 5);
    await second.commit();
    const row = [...store.rows.values()][0];
    if (!row) throw new Error('no row');
    row.data = new TextEncoder().encode('not a session');
    first.put('visits', 1);
    await first.commit();
    expect(first.status).toBe('destroyed');
    expect(events.filter((e) => e.type === 'error')).toMatchObject([
      { phase: 'commit', error: expect.any(CorruptDataError) },
    ]);
  });
});
