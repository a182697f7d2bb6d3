import { describe, expect, it } from 'vitest';
import { readCookieValues } from '../src/cookie.js';
import { SessionManager } from '../src/index.js';
import { routes, startApp } from './support/app.js';
import { TestStore } from './support/test-store.js';

const nameOf = (cookie: ConstructorParameters<typeof SessionManager>[0]['cookie']) =>
  new SessionManager({ store: new TestStore(), cookie }).options.cookie.name;

describe('the default cookie name', () => {
  it('is __Host-session when secure, so no sibling subdomain or plain-HTTP page can plant it', () => {
    expect(nameOf(undefined)).toBe('__Host-session');
    expect(nameOf({ secure: true, path: '/' })).toBe('__Host-session');
  });

  it('is __Secure-session with a domain or a path (which __Host- forbids), session without secure', () => {
    expect(nameOf({ domain: 'example.com' })).toBe('__Secure-session');
    expect(nameOf({ path: '/app' })).toBe('__Secure-session');
    expect(nameOf({ secure: false })).toBe('session');
    expect(nameOf({ secure: false, domain: 'example.com' })).toBe('session');
  });

  it('the default cookie is one browsers accept: Secure, Path=/ and no Domain', async () => {
    const manager = new SessionManager({ store: new TestStore() });
    const session = await manager.load(undefined);
    session.put('x', 1);
    const line = session.setCookieHeader() as string;
    expect(line).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}; /);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).toMatch(/; Secure/);
    expect(line).not.toMatch(/Domain=/i);
  });
});

describe('readCookieValues', () => {
  it('returns every distinct value of the name in header order, decoded, at most 4', () => {
    expect(readCookieValues('a=1; s=x; b=2; s=y; s=x', 's')).toEqual(['x', 'y']);
    expect(readCookieValues('s=%41b', 's')).toEqual(['Ab']);
    expect(readCookieValues('s=1; s=2; s=3; s=4; s=5', 's')).toEqual(['1', '2', '3', '4']);
    expect(readCookieValues('ss=1; s; s =2', 's')).toEqual(['2']);
    expect(readCookieValues('', 's')).toEqual([]);
    expect(readCookieValues(undefined, 's')).toEqual([]);
  });
});

/** A raw request with the Cookie header as a browser with several cookies of the name sends it. */
async function send(url: string, path: string, cookie: string) {
  const response = await fetch(url + path, { headers: { cookie } });
  return { text: await response.text(), setCookie: response.headers.getSetCookie() };
}

describe('a Cookie header with the session cookie more than once (cookie tossing)', () => {
  async function signedIn() {
    const app = await startApp(routes);
    const client = app.client();
    await client.text('/login');
    await client.text('/count');
    const rejected: string[] = [];
    app.manager.on('rejected', (event) => rejected.push(event.reason));
    return { app, token: client.cookie as string, rejected };
  }

  it('a planted value first does not hide the real session, nor clear its cookie', async () => {
    const { app, token, rejected } = await signedIn();
    for (const planted of ['x', 'A'.repeat(43)]) {
      const answer = await send(app.url, '/whoami', `session=${planted}; session=${token}`);
      expect(answer.text).toBe('alice');
      expect(answer.setCookie, 'no Set-Cookie that would end the real cookie').toEqual([]);
    }
    expect(rejected).toEqual(['malformed-token', 'unknown-token']);
    expect(await send(app.url, '/whoami', `session=${token}`)).toMatchObject({ text: 'alice' });
  });

  it('the session loads whichever position the real value has, and a write keeps it', async () => {
    const { app, token } = await signedIn();
    const answer = await send(app.url, '/count', `session=${token}; session=${'B'.repeat(43)}`);
    expect(answer.text).toBe('2');
    expect(answer.setCookie.every((line) => !/Max-Age=0/.test(line))).toBe(true);
  });

  it('two values that both load are ambiguous: neither is used (no swap), neither is cleared', async () => {
    const { app, token, rejected } = await signedIn();
    const attacker = app.client();
    await attacker.text('/count');
    const planted = attacker.cookie as string;
    const answer = await send(app.url, '/whoami', `session=${planted}; session=${token}`);
    expect(answer.text, 'not swapped into the planted session').toBe('none');
    expect(answer.setCookie).toEqual([]);
    expect(rejected).toEqual(['duplicate-cookie', 'duplicate-cookie']);
    expect((await send(app.url, '/whoami', `session=${token}`)).text).toBe('alice');
    expect((await send(app.url, '/read', `session=${planted}`)).text).toBe('1');
  });

  it('values that all fail are cleared, as a single one is', async () => {
    const { app } = await signedIn();
    const answer = await send(app.url, '/read', `session=x; session=${'C'.repeat(43)}`);
    expect(answer.text).toBe('none');
    expect(answer.setCookie).toEqual([expect.stringMatching(/^session=;.*Max-Age=0/)]);
  });

  it('tries at most 4 values, so a header stuffed with values costs at most 4 lookups', async () => {
    const { app, token } = await signedIn();
    const junk = Array.from({ length: 10 }, (_, i) => `session=${String(i).repeat(43)}`);
    app.store.calls.length = 0;
    const answer = await send(app.url, '/whoami', [...junk, `session=${token}`].join('; '));
    expect(answer.text).toBe('none');
    expect(app.store.count('find')).toBe(4);
  });
});
