import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, SessionManager, type SessionManagerOptions } from '../src/index.js';
import { adapterPaths } from './support/adapters.js';
import { TestStore } from './support/test-store.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(Object.entries(adapterPaths))(
  'an error nobody listens for, through %s',
  (_n, start) => {
    it('is logged once, not once per request', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = await start();
      app.store.down = true;
      for (let i = 0; i < 3; i++) expect((await app.send('read', 'session=x')).status).toBe(200);
      for (let i = 0; i < 3; i++) {
        expect((await app.send('read', `session=${'A'.repeat(43)}`)).status).toBe(503);
      }
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/session load failed.*"error" event/);
      expect(log.mock.calls[0]?.[1]).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    });

    it('is not logged when an error listener (or a * listener) is there, or with logUnobservedErrors: false', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      const token = `session=${'A'.repeat(43)}`;
      const listened = await start();
      const seen: string[] = [];
      listened.manager.on('error', (event) => seen.push(event.phase));
      listened.store.down = true;
      await listened.send('read', token);
      const wildcard = await start();
      wildcard.manager.on('*', () => {});
      wildcard.store.down = true;
      await wildcard.send('read', token);
      const silenced = await start({ logUnobservedErrors: false });
      silenced.store.down = true;
      await silenced.send('read', token);
      expect(seen).toEqual(['load']);
      expect(log).not.toHaveBeenCalled();
    });

    it('is logged again once the last listener unsubscribed', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = await start();
      const off = app.manager.on('error', () => {});
      off();
      off();
      app.store.down = true;
      await app.send('read', `session=${'A'.repeat(43)}`);
      expect(log).toHaveBeenCalledTimes(1);
    });
  },
);

const build = (options: Record<string, unknown>) => () =>
  new SessionManager({ store: new TestStore(), ...options } as SessionManagerOptions);

describe('unknown option keys are refused, naming them', () => {
  it.each([
    [{ idleTimout: '1h' }, /"idleTimout" \(did you mean "idleTimeout"\?\)/],
    [{ lifetme: '1h' }, /"lifetme" \(did you mean "lifetime"\?\)/],
    [{ cookie: { sameSit: 'lax' } }, /"cookie.sameSit" \(did you mean "cookie.sameSite"\?\)/],
    [
      { binding: { userAgnet: true } },
      /"binding.userAgnet" \(did you mean "binding.userAgent"\?\)/,
    ],
    [{ zzzzzzzzzz: 1 }, /unknown SessionManager option "zzzzzzzzzz"$/],
  ])('%j', (options, message) => {
    expect(build(options)).toThrow(ConfigurationError);
    expect(build(options)).toThrow(message);
  });

  it.each([
    ['secret', { secret: 'keyboard cat' }],
    ['resave', { resave: false }],
    ['saveUninitialized', { saveUninitialized: false }],
    ['rolling', { rolling: true }],
    ['cookie.maxAge', { cookie: { maxAge: 1000 } }],
    ['cookie.expires', { cookie: { expires: new Date() } }],
  ])('the express-session option %s points to the migration guide', (name, options) => {
    expect(build(options)).toThrow(
      new RegExp(
        `"${name.replace('.', '\\.')}" is an express-session option: .*migrating-from-express-session\\.md`,
      ),
    );
  });

  it('names every unknown key at once, an undefined value included', () => {
    expect(build({ secret: undefined, idleTimout: 1, cookie: { maxAge: 1 } })).toThrow(
      /"secret".*; "idleTimout".*; "cookie.maxAge"/,
    );
  });

  it('accepts every documented key', () => {
    expect(
      build({
        lifetime: '1h',
        idleTimeout: '10m',
        touchAfter: '1m',
        cookie: {
          name: 'sid',
          domain: 'example.com',
          path: '/',
          httpOnly: true,
          secure: true,
          sameSite: 'lax',
          partitioned: false,
          persist: true,
        },
        codec: undefined,
        maxDataBytes: 1000,
        maxConflictRetries: 1,
        maxSessionsPerUser: 2,
        binding: { ip: true, userAgent: true, onMismatch: 'reject' },
        storeTimeout: '1s',
        clock: Date.now,
        logUnobservedErrors: false,
      }),
    ).not.toThrow();
  });
});
