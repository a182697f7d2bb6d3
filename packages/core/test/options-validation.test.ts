import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  SessionManager,
  type SessionManagerOptions,
  sessionOptionsFromEnv,
} from '../src/index.js';
import { TestStore } from './support/test-store.js';

const build = (options: Partial<SessionManagerOptions>) => () =>
  new SessionManager({ store: new TestStore(), ...options });

describe('configuration that cannot work is refused at construction', () => {
  it.each([
    ['a domain with an attribute smuggled in', { cookie: { domain: 'example.com; Secure' } }],
    ['a path with a semicolon', { cookie: { path: '/app;HttpOnly' } }],
    ['a lifetime past any valid cookie date', { lifetime: '100000000d' }],
    ['a lifetime over 100 years', { lifetime: '36501d' }],
    ['negative conflict retries', { maxConflictRetries: -1 }],
    ['fractional conflict retries', { maxConflictRetries: 1.5 }],
    ['an unknown binding policy', { binding: { ip: true, onMismatch: 'ignore' as 'reject' } }],
  ])('%s', (_label, options) => {
    expect(build(options)).toThrow(ConfigurationError);
  });

  it('accepts the boundaries', () => {
    expect(build({ lifetime: '36500d', maxConflictRetries: 0 })).not.toThrow();
    expect(build({ cookie: { domain: 'example.com', path: '/app' } })).not.toThrow();
    expect(build({ binding: { ip: true, onMismatch: 'renew' } })).not.toThrow();
  });

  it('a long lifetime still produces a valid cookie date on the first response', async () => {
    const manager = new SessionManager({ store: new TestStore(), lifetime: '36500d' });
    const session = await manager.load(undefined);
    session.put('a', 1);
    await session.commit();
    expect(session.setCookieHeader()).toMatch(/Expires=\w{3}, \d{2} \w{3} \d{4}/);
  });
});

describe('the same rules for SESSION_* variables', () => {
  it.each([
    [{ SESSION_COOKIE_DOMAIN: 'example.com; Secure' }, 'SESSION_COOKIE_DOMAIN'],
    [{ SESSION_COOKIE_PATH: '/a;b' }, 'SESSION_COOKIE_PATH'],
    [{ SESSION_COOKIE_NAME: 'bad name' }, 'SESSION_COOKIE_NAME'],
  ])('%o is refused naming %s', (env, variable) => {
    expect(() => sessionOptionsFromEnv(env)).toThrow(ConfigurationError);
    expect(() => sessionOptionsFromEnv(env)).toThrow(variable);
  });

  it('a lifetime over 100 years is refused even with wider bounds', () => {
    const env = { SESSION_LIFETIME: '100000000d' };
    expect(() => sessionOptionsFromEnv(env, { lifetime: { max: '200000000d' } })).toThrow(
      ConfigurationError,
    );
  });
});
