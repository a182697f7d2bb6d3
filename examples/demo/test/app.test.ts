import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoApp } from '../src/app.ts';
import { configFromEnv } from '../src/config.ts';
import type { RunningDemo } from '../src/server.ts';
import { openStore } from '../src/stores.ts';
import { DemoClient, flashOf, signedInAs } from './support/client.ts';
import { startTestDemo } from './support/demo.ts';

const running: RunningDemo[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((demo) => demo.close()));
});

async function demo(overrides?: Parameters<typeof startTestDemo>[0]): Promise<RunningDemo> {
  const started = await startTestDemo(overrides);
  running.push(started);
  return started;
}

describe('demo over HTTP', () => {
  it('signs in with the right password only, and counts visits per session', async () => {
    const { url } = await demo();
    const client = new DemoClient(url);
    const wrong = await client.signIn('alice', 'not-the-password');
    expect(wrong.headers.get('location')).toBe('/signin?notice=bad-credentials');
    expect(client.cookie, 'a failed sign-in starts no session').toBeUndefined();
    const page = await client.page('/signin?notice=bad-credentials');
    expect(flashOf(page)).toContain('do not match');
    expect(signedInAs(page)).toBeNull();

    const right = await client.signIn('alice');
    expect(right.headers.get('location')).toBe('/');
    const home = await client.page('/');
    expect(signedInAs(home)).toBe('Alice Liddell');
    expect(flashOf(home)).toBe('Signed in as Alice Liddell.');
    expect(/data-visits>(\d+)</.exec(await client.page('/'))?.[1]).toBe('2');
    // The flash was popped: shown once.
    expect(flashOf(await client.page('/'))).toBeNull();
  });

  it('writes no session for a visitor who has done nothing worth keeping', async () => {
    const { url, manager } = await demo();
    const before = await manager.countSessions();
    for (let i = 0; i < 1_000; i++) {
      const response = await fetch(`${url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      await response.arrayBuffer();
    }
    expect(await manager.countSessions()).toBe(before);

    // A cookie the server never issued (or one whose session ended): told so, still no row.
    const bogus = new DemoClient(url);
    bogus.cookie = 'A'.repeat(43);
    const home = await bogus.request('/');
    expect(flashOf(await home.text())).toContain('Your session has ended');
    expect(bogus.cookie, 'the unknown cookie is cleared').toBeUndefined();
    bogus.cookie = 'B'.repeat(43);
    const guarded = await bogus.request('/sessions');
    expect(guarded.headers.get('location')).toBe('/signin?notice=ended');
    const signin = await new DemoClient(url).page('/signin?notice=ended');
    expect(flashOf(signin)).toContain('Your session has ended');
    expect(await manager.countSessions()).toBe(before);

    // An unknown notice code shows nothing: the query string cannot inject a message.
    expect(flashOf(await new DemoClient(url).page('/signin?notice=<b>hi</b>'))).toBeNull();

    // Signing in, the first thing worth keeping, writes exactly one row.
    const client = new DemoClient(url);
    await client.signIn('alice');
    expect(await manager.countSessions()).toBe(before + 1);
    await client.post('/signout', {});
    expect(client.cookie).toBeUndefined();
    expect(await manager.countSessions()).toBe(before);
  });

  it("refuses to revoke another user's session by its id", async () => {
    const { url, manager } = await demo();
    const alice = new DemoClient(url);
    const bob = new DemoClient(url);
    await alice.signIn('alice');
    await bob.signIn('bob');
    const [bobSession] = await manager.listUserSessions('bob');
    expect(bobSession).toBeDefined();
    await alice.post('/sessions/revoke', { id: bobSession?.id as string });
    expect(flashOf(await alice.page('/sessions'))).toContain('already ended');
    expect(signedInAs(await bob.page('/'))).toBe('Bob Marley');
  });

  it('refuses cross-site form posts', async () => {
    const { url } = await demo();
    const client = new DemoClient(url);
    await client.signIn('alice');
    const response = await client.post('/signout', {}, 'https://evil.example');
    expect(response.status).toBe(403);
    expect(signedInAs(await client.page('/'))).toBe('Alice Liddell');
  });

  it('keeps signed-in sessions in the SQLite file across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hallpass-demo-sqlite-'));
    try {
      const first = await startTestDemo({ store: 'sqlite', dataDir });
      expect(first.storeLabel).toContain('SQLite');
      const client = new DemoClient(first.url);
      await client.signIn('carol');
      await first.close();

      const second = await demo({ store: 'sqlite', dataDir });
      const again = new DemoClient(second.url);
      again.cookie = client.cookie;
      expect(signedInAs(await again.page('/'))).toBe('Carol Danvers');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers with a 503 page when the store is down, and loses nothing', async () => {
    class SwitchableStore extends MemoryStore {
      down = false;
      override async find(...args: Parameters<MemoryStore['find']>) {
        if (this.down) throw new StoreUnavailableError('switched off');
        return super.find(...args);
      }
    }
    const store = new SwitchableStore();
    const { app } = createDemoApp(
      { ...configFromEnv({}), secureCookie: false },
      { store, label: 'switchable memory', close: () => store.close() },
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const client = new DemoClient(url, 'hallpass');
      await client.signIn('alice');
      store.down = true;
      const response = await client.request('/sessions');
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('The session store is unavailable');
      store.down = false;
      expect(signedInAs(await client.page('/'))).toBe('Alice Liddell');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    }
  });
});

describe('demo configuration', () => {
  it('defaults to SQLite with short, visible deadlines', () => {
    const config = configFromEnv({});
    expect(config.store).toBe('sqlite');
    expect(config.port).toBe(3000);
    expect(config.lifetime).toBe('15m');
    expect(config.idleTimeout).toBe('2m');
    expect(config.secureCookie).toBe(true);
  });

  it('rejects unreadable durations and ports at start-up', () => {
    expect(() => configFromEnv({ HALLPASS_DEMO_IDLE_TIMEOUT: 'soon' })).toThrow(/IDLE_TIMEOUT/);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('names the stores it knows for an unknown one, without printing credentials', async () => {
    await expect(openStore('cassandra://user:secret@db', tmpdir())).rejects.toThrow(
      /sqlite \(default\), memory/,
    );
    await expect(openStore('cassandra://user:secret@db', tmpdir())).rejects.not.toThrow(/secret/);
  });

  it('fails at start-up, with the reason, when the postgres server cannot be reached', async () => {
    await expect(
      openStore('postgres://postgres:secret@127.0.0.1:1/none', tmpdir()),
    ).rejects.toThrow(/cannot reach the session store PostgreSQL \(postgres:\/\/postgres:\*\*\*@/);
  });
});
