import { afterEach, describe, expect, it } from 'vitest';
import { type SessionEvent, SessionManager } from '../src/index.js';
import { CookieClient } from './support/client.js';
import { serve } from './support/http.js';
import { TestStore } from './support/test-store.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * A node handler whose clientIp counts how often the adapter asks for the address (the
 * default reads the socket's peer name, a system call): /count writes, /read only reads.
 */
async function start() {
  const manager = new SessionManager<{ count: number }>({
    store: new TestStore(),
    cookie: { secure: false },
  });
  const reads = { ip: 0 };
  const server = await serve(
    manager.handler(
      (req, res) => {
        const session = manager.session(req);
        if (req.url === '/count') session.put('count', (session.get('count') ?? 0) + 1);
        res.end(JSON.stringify(session.client));
      },
      {
        clientIp: () => {
          reads.ip++;
          return '203.0.113.7';
        },
      },
    ),
  );
  closers.push(server.close);
  return { manager, reads, client: new CookieClient(server.url) };
}

describe('client details are read only when something needs them', () => {
  it('a read-only request nobody observes never asks for the address', async () => {
    const { reads, client } = await start();
    await client.text('/count', { headers: { 'user-agent': 'UA/1' } });
    const afterCreate = reads.ip;
    expect(afterCreate).toBe(1);
    // The new session recorded the client (read lazily, at its commit).
    expect(JSON.parse(await client.text('/read'))).toEqual({
      userAgent: 'UA/1',
      ip: '203.0.113.7',
    });
    await client.text('/read');
    expect(reads.ip).toBe(afterCreate);
  });

  it('listeners get the address, read once per request however many events carry it', async () => {
    const { manager, reads, client } = await start();
    await client.text('/count');
    const events: SessionEvent[] = [];
    manager.on('*', (event) => events.push(event));
    const before = reads.ip;
    await client.text('/count', { headers: { 'user-agent': 'UA/2' } });
    expect(events).toMatchObject([
      { type: 'loaded', ip: '203.0.113.7', userAgent: 'UA/2' },
      { type: 'committed', ip: '203.0.113.7', userAgent: 'UA/2' },
    ]);
    expect(reads.ip).toBe(before + 1);
  });
});
