import { type ControlledClock, controlledClock, randomUserId } from '@hallpass/conformance';
import { SessionManager, type Store, tokenToId } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedStore, ReplicatedStore } from '../src/index.js';
import { type App, cookiePair, latch, type Route, startApp } from './support/http-app.js';

const STALENESS_MS = 300;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** One app "process": its own SessionManager and store wrapper, behind a real HTTP server. */
async function startProcess(
  store: Store,
  extraRoutes: Record<string, Route> = {},
  clock: () => number = Date.now,
) {
  const manager = new SessionManager({ store, cookie: { secure: false }, clock });
  const ended: string[] = [];
  manager.on('rejected', (event) => ended.push(event.reason));
  const app: App = await startApp(manager, {
    '/login': async (req, res) => {
      const user = new URL(req.url ?? '/', 'http://app').searchParams.get('user') as string;
      const session = manager.session(req);
      await session.signIn(user);
      session.put('visits', 0);
      res.end();
    },
    '/read': (req, res) => {
      res.end(String(manager.session(req).get('visits') ?? 'none'));
    },
    '/revoke-all': async (req, res) => {
      const user = new URL(req.url ?? '/', 'http://app').searchParams.get('user') as string;
      res.end(String(await manager.revokeUser(user)));
    },
    ...extraRoutes,
  });
  cleanups.push(() => app.close());
  return { app, manager, ended };
}

/** A route that loads the session, waits for the test, then changes it and commits. */
function slowWriter(manager: () => SessionManager) {
  const loaded = latch();
  const gate = latch();
  const route: Route = async (req, res) => {
    const session = manager().session(req);
    expect(session.get('visits'), 'the slow request loaded the live session').toBe(0);
    loaded.open();
    await gate.promise;
    session.put('cart', 'bought after the revocation');
    res.end();
  };
  return { route, loaded: loaded.promise, release: gate.open };
}

describe('revoke-all racing an in-flight request, two processes with their own caches', () => {
  it('the in-flight commit fails as missing and the session stays revoked everywhere', async () => {
    const clock: ControlledClock = controlledClock();
    const shared = new MemoryStore({ cleanupIntervalMs: 0, clock });
    cleanups.push(() => shared.close());
    const cacheA = new CachedStore(shared, { maxStalenessMs: STALENESS_MS, clock });
    const cacheB = new CachedStore(shared, { maxStalenessMs: STALENESS_MS, clock });
    let managerA: SessionManager | undefined;
    const slow = slowWriter(() => managerA as SessionManager);
    const processA = await startProcess(cacheA, { '/slow': slow.route }, clock);
    managerA = processA.manager;
    const processB = await startProcess(cacheB, {}, clock);
    const user = randomUserId();

    // Two devices of the user, both loaded (and so cached) by process A.
    const phone = cookiePair((await processA.app.get(`/login?user=${user}`)).setCookie);
    const laptop = cookiePair((await processA.app.get(`/login?user=${user}`)).setCookie);
    expect((await processA.app.get('/read', phone)).body).toBe('0');
    expect((await processA.app.get('/read', laptop)).body).toBe('0');
    expect(await shared.listByUser(user)).toHaveLength(2);

    // The phone's request is under way in A when B revokes every session of the user.
    const inFlight = processA.app.get('/slow', phone);
    await slow.loaded;
    expect((await processB.app.get(`/revoke-all?user=${user}`)).body).toBe('2');
    slow.release();
    const late = await inFlight;

    expect(late.setCookie, 'the late response clears the cookie').toMatch(/^session=;/);
    expect(processA.ended).toContain('ended-during-request');
    expect(await shared.listByUser(user), 'nothing was written back').toEqual([]);
    expect(await shared.find(tokenToId(phone.split('=')[1] as string))).toBeNull();

    // A may serve the laptop from its cache for at most maxStalenessMs after the revocation.
    clock.advance(STALENESS_MS);
    expect((await processA.app.get('/read', laptop)).body).toBe('none');
    expect((await processA.app.get('/read', phone)).body).toBe('none');
    expect(await shared.listByUser(user)).toEqual([]);
  });

  it('a revocation made in the same process is seen at once, without waiting for staleness', async () => {
    const shared = new MemoryStore({ cleanupIntervalMs: 0 });
    cleanups.push(() => shared.close());
    const store = new CachedStore(shared, { maxStalenessMs: 3_600_000 });
    const { app } = await startProcess(store);
    const user = randomUserId();
    const device = cookiePair((await app.get(`/login?user=${user}`)).setCookie);
    expect((await app.get('/read', device)).body).toBe('0');

    expect((await app.get(`/revoke-all?user=${user}`)).body).toBe('1');

    expect((await app.get('/read', device)).body).toBe('none');
  });
});

describe('revoke-all racing an in-flight request, replicated store', () => {
  it('the in-flight commit fails as missing and no copy of the session survives', async () => {
    const primary = new MemoryStore({ cleanupIntervalMs: 0 });
    const secondaries = [
      new MemoryStore({ cleanupIntervalMs: 0 }),
      new MemoryStore({ cleanupIntervalMs: 0 }),
    ];
    const store = new ReplicatedStore(primary, secondaries, { closeInner: true });
    cleanups.push(() => store.close());
    let manager: SessionManager | undefined;
    const slow = slowWriter(() => manager as SessionManager);
    const process = await startProcess(store, { '/slow': slow.route });
    manager = process.manager;
    const user = randomUserId();

    const device = cookiePair((await process.app.get(`/login?user=${user}`)).setCookie);
    const id = tokenToId(device.split('=')[1] as string);
    for (const secondary of secondaries) expect(await secondary.find(id)).not.toBeNull();

    const inFlight = process.app.get('/slow', device);
    await slow.loaded;
    expect((await process.app.get(`/revoke-all?user=${user}`)).body).toBe('1');
    slow.release();
    const late = await inFlight;

    expect(late.setCookie).toMatch(/^session=;/);
    expect(process.ended).toContain('ended-during-request');
    for (const backend of [primary, ...secondaries]) {
      expect(await backend.find(id)).toBeNull();
      expect(await backend.listByUser(user)).toEqual([]);
    }
    expect((await process.app.get('/read', device)).body).toBe('none');
  });
});
