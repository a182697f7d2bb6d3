import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  SessionManager,
  type SessionManagerOptions,
  StoreUnavailableError,
} from '../src/index.js';
import { manualClock } from './support/clock.js';
import { manualManager } from './support/manual-manager.js';
import { TestStore } from './support/test-store.js';

type Data = { role: string };

const setup = (options: Partial<SessionManagerOptions> = {}) => manualManager<Data>(options);

async function signedIn(manager: SessionManager<Data>, userId: string, userAgent = 'UA') {
  const session = await manager.load(undefined, { userAgent });
  await session.signIn(userId);
  await session.commit();
  return session;
}

describe('SessionManager events', () => {
  it('reportError carries the session it is about, or nulls without one', async () => {
    const { manager, events, clock } = setup();
    const session = await signedIn(manager, 'alice');
    events.length = 0;
    const failure = new Error('sync failed');
    manager.reportError(failure, 'commit', session);
    manager.reportError(failure, 'response');
    expect(events).toEqual([
      {
        type: 'error',
        time: clock(),
        sessionId: session.id,
        userId: 'alice',
        error: failure,
        phase: 'commit',
      },
      {
        type: 'error',
        time: clock(),
        sessionId: null,
        userId: null,
        error: failure,
        phase: 'response',
      },
    ]);
  });

  it('loaded and rejected events carry the time, the session and the client', async () => {
    const { manager, events, clock } = setup();
    const session = await signedIn(manager, 'alice');
    clock.advance(1000);
    events.length = 0;
    const client = { userAgent: 'UA', ip: '192.0.2.1' };
    await manager.load(`session=${session.token}`, client);
    await manager.load('session=not-a-token', client);
    expect(events).toEqual([
      { type: 'loaded', time: clock(), sessionId: session.id, userId: 'alice', ...client },
      {
        type: 'rejected',
        time: clock(),
        sessionId: null,
        userId: null,
        reason: 'malformed-token',
        ...client,
      },
    ]);
  });

  it('a listener of loaded alone (no "*" listener) gets the loaded events', async () => {
    // Not manualManager: its "*" listener would make every event type count as listened to.
    const clock = manualClock();
    const manager = new SessionManager<Data>({
      store: new TestStore(clock),
      clock,
      cookie: { secure: false },
    });
    const session = await signedIn(manager, 'alice');
    const loaded: Array<string | null> = [];
    manager.on('loaded', (event) => loaded.push(event.sessionId));
    await manager.load(`session=${session.token}`);
    expect(loaded).toEqual([session.id]);
  });

  it('a failed load answers 503, reports phase load, and fail() reports phase response', async () => {
    const { manager, store, events } = setup();
    const session = await signedIn(manager, 'alice');
    store.down = true;
    events.length = 0;
    const request = {};
    const begun = await manager.begin(request, { cookieHeader: `session=${session.token}` });
    expect(begun.ok).toBe(false);
    if (begun.ok) return;
    expect(begun.error).toBeInstanceOf(StoreUnavailableError);
    expect(begun.answer.status).toBe(503);
    const later = new Error('render failed');
    expect(begun.fail(later).status).toBe(500);
    expect(events.map((event) => event.type === 'error' && [event.phase, event.error])).toEqual([
      ['load', begun.error],
      ['response', later],
    ]);
    expect(() => manager.session(request)).toThrow(
      expect.objectContaining({ code: 'SESSION_NOT_LOADED' }),
    );
  });
});

describe('SessionManager.begin', () => {
  it("hands the request's abort signal to the store: an abandoned request loads nothing", async () => {
    const { manager } = setup();
    const session = await signedIn(manager, 'alice');
    const gone = new Error('the client went away');
    const begun = await manager.begin(
      {},
      { cookieHeader: `session=${session.token}`, signal: AbortSignal.abort(gone) },
    );
    expect(begun.ok).toBe(false);
    if (begun.ok) return;
    expect(begun.error).toBe(gone);
  });
});

describe('SessionManager jobs over every session', () => {
  it('iterate and countSessions refuse a store without the iterate capability', async () => {
    const { manager, store } = setup();
    store.capabilities = { ...store.capabilities, iterate: false };
    for (const call of [() => manager.iterate(() => {}), () => manager.countSessions()]) {
      await expect(call()).rejects.toThrow(ConfigurationError);
      await expect(call()).rejects.toThrow(/iterate capability/);
    }
  });

  it('iterate skips (and reports) an unreadable row, visits the rest and commits their changes', async () => {
    const { manager, store, events } = setup();
    const broken = await signedIn(manager, 'alice');
    const fine = await signedIn(manager, 'bob');
    const row = store.rows.get(broken.id as string);
    if (!row) throw new Error('no row');
    row.data = new Uint8Array([0xff, 0x00, 0x7b]);
    events.length = 0;
    const visited: Array<string | null> = [];
    await manager.iterate((session) => {
      visited.push(session.userId);
      session.put('role', 'audited');
    });
    expect(visited).toEqual(['bob']);
    expect(events.filter((event) => event.type === 'error')).toMatchObject([
      { phase: 'load', sessionId: broken.id },
    ]);
    expect((await manager.load(`session=${fine.token}`)).get('role')).toBe('audited');
    expect(await manager.countSessions()).toBe(2);
  });
});

describe('SessionManager per-user calls', () => {
  it('revokeSession reports reason user by default', async () => {
    const { manager, events } = setup();
    const session = await signedIn(manager, 'alice');
    events.length = 0;
    expect(await manager.revokeSession('alice', session.id as string)).toBe(true);
    expect(events).toMatchObject([{ type: 'revoked', reason: 'user', sessionId: session.id }]);
  });

  it('revokeUser keeps the session named by except: a stored id, a Session, or a request', async () => {
    const { manager, store } = setup();
    const byId = await signedIn(manager, 'alice', 'one');
    await signedIn(manager, 'alice', 'two');
    expect(await manager.revokeUser('alice', { except: byId.id })).toBe(1);
    expect([...store.rows.keys()]).toEqual([byId.id]);

    const bySession = await signedIn(manager, 'alice', 'three');
    expect(await manager.revokeUser('alice', { except: bySession })).toBe(1);
    expect([...store.rows.keys()]).toEqual([bySession.id]);

    const request = {};
    const begun = await manager.begin(request, { cookieHeader: `session=${bySession.token}` });
    if (!begun.ok) throw begun.error;
    await signedIn(manager, 'alice', 'four');
    expect(await manager.revokeUser('alice', { except: request })).toBe(1);
    expect([...store.rows.keys()]).toEqual([bySession.id]);
    // A request that has no session here protects nothing.
    expect(await manager.revokeUser('alice', { except: {} })).toBe(1);
    expect(store.rows.size).toBe(0);
  });

  it('without maxSessionsPerUser, sign-in needs no per-user index and makes no per-user call', async () => {
    const { manager, store } = setup();
    store.capabilities = { ...store.capabilities, userIndex: false };
    const session = await signedIn(manager, 'alice');
    expect((await manager.load(`session=${session.token}`)).userId).toBe('alice');
    expect(store.calls).not.toContain('listByUser');
  });

  it('listUserSessions of an anonymous visitor (null) is empty, without a store call', async () => {
    const { manager, store } = setup();
    await signedIn(manager, 'alice');
    const calls = store.calls.length;
    expect(await manager.listUserSessions(null)).toEqual([]);
    expect(store.calls.slice(calls)).toEqual([]);
  });

  it('listUserSessions marks the current session when given the Session itself', async () => {
    const { manager, clock } = setup();
    const first = await signedIn(manager, 'alice', 'one');
    clock.advance(1000);
    await signedIn(manager, 'alice', 'two');
    const list = await manager.listUserSessions('alice', { current: first });
    expect(list.map((info) => [info.userAgent, info.current])).toEqual([
      ['one', true],
      ['two', false],
    ]);
  });
});
