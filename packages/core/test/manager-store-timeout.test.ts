import { describe, expect, it } from 'vitest';
import { type IterateOptions, StoreAbortedError } from '../src/index.js';
import { type Route, routes, startApp } from './support/app.js';

// storeTimeout is applied by wrapping the store once, so calls made outside a request's load
// and commit get it too. The stalled methods wait for their AbortSignal and record the abort:
// the tests assert the outcome (503) and that the call was aborted, not how long it took.
const timeoutRoutes: Record<string, Route> = {
  ...routes,
  '/devices': async (m, req, res) => {
    res.end(JSON.stringify(await m.listUserSessions('alice', { current: req })));
  },
  '/revoke-others': async (m, req, res) => {
    res.end(String(await m.revokeUser('alice', { except: req })));
  },
  '/revoke-one': async (m, req, res) => {
    const id = m.session(req).id as string;
    res.end(String(await m.revokeSession('alice', id)));
  },
};

async function signedIn(options = {}) {
  const app = await startApp(timeoutRoutes, { storeTimeout: 50, ...options });
  const client = app.client();
  expect((await client.request('/login')).status).toBe(200);
  return { ...app, client };
}

describe('storeTimeout covers every store call', () => {
  it('sign-in with maxSessionsPerUser answers 503 when the limit check stalls', async () => {
    const app = await startApp(timeoutRoutes, { storeTimeout: 50, maxSessionsPerUser: 2 });
    app.store.stalling.add('listByUser');
    const response = await app.client().request('/login');
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(app.store.aborted).toEqual(['listByUser']);
    app.store.stalling.clear();
    expect((await app.client().request('/login')).status).toBe(200);
  });

  it('revoking the other sessions answers 503 when deleteByUser stalls', async () => {
    const app = await signedIn();
    app.store.stalling.add('deleteByUser');
    expect((await app.client.request('/revoke-others')).status).toBe(503);
    expect(app.store.aborted).toEqual(['deleteByUser']);
  });

  it('revoking one session answers 503 when the ownership check stalls', async () => {
    const app = await signedIn();
    app.store.stalling.add('listByUser');
    expect((await app.client.request('/revoke-one')).status).toBe(503);
    expect(app.store.aborted).toEqual(['listByUser']);
  });

  it('listing devices answers 503 when listByUser stalls, and works again afterwards', async () => {
    const app = await signedIn();
    app.store.stalling.add('listByUser');
    const response = await app.client.request('/devices');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    expect(app.store.aborted).toEqual(['listByUser']);
    app.store.stalling.clear();
    const devices = JSON.parse(await app.client.text('/devices'));
    expect(devices).toHaveLength(1);
    expect(devices[0].current).toBe(true);
  });

  it('iteration is aborted when a page stalls', async () => {
    const app = await signedIn();
    const rows = [...app.store.rows.values()];
    // One page arrives, the next never does.
    app.store.iterate = async function* (options?: IterateOptions) {
      yield* rows;
      await new Promise((_, reject) =>
        options?.signal?.addEventListener('abort', () =>
          reject(new StoreAbortedError(options.signal?.reason)),
        ),
      );
    } as typeof app.store.iterate;
    await expect(app.manager.countSessions()).rejects.toBeInstanceOf(StoreAbortedError);
  });
});
