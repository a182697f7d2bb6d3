import { describe, expect, it } from 'vitest';
import { adapterPaths, sessionPair } from './support/adapters.js';

describe.each(Object.entries(adapterPaths))('caches are told, through %s', (_name, start) => {
  it('a read-only response of a stored session gets Vary: Cookie and Cache-Control: private, without a Set-Cookie', async () => {
    const app = await start();
    const cookie = sessionPair(await app.send('write'));
    expect(cookie).toBeDefined();
    const read = await app.send('read', cookie);
    expect(await read.text()).toBe('1');
    expect(read.headers.getSetCookie()).toEqual([]);
    expect(read.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(read.headers.get('cache-control')).toMatch(/\bprivate\b/);
  });

  it('a response that sets the cookie is private and keeps its Set-Cookie out of caches', async () => {
    const app = await start();
    const response = await app.send('write');
    expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(response.headers.get('cache-control')).toBe('private, no-cache="Set-Cookie"');
  });

  it('a response that involves no session is left alone', async () => {
    const app = await start();
    const response = await app.send('read');
    expect(await response.text()).toBe('none');
    expect(response.headers.get('vary') ?? '').not.toMatch(/Cookie/);
    expect(response.headers.get('cache-control') ?? '').not.toMatch(/private/);
  });
});
