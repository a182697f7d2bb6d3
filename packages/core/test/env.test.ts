import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  cookieNameFor,
  generateCookieName,
  SessionManager,
  sessionOptionsFromEnv,
} from '../src/index.js';
import { TestStore } from './support/test-store.js';

describe('sessionOptionsFromEnv', () => {
  it('reads a production configuration: 15 minutes idle, 24 hours absolute', () => {
    const options = sessionOptionsFromEnv({
      SESSION_LIFETIME: '24h',
      SESSION_IDLE_TIMEOUT: '15m',
      SESSION_COOKIE_NAME: '__Host-sid',
      SESSION_COOKIE_SAMESITE: 'Strict',
      SESSION_COOKIE_PERSIST: 'false',
    });
    expect(options).toEqual({
      lifetime: 86_400_000,
      idleTimeout: 900_000,
      cookie: { name: '__Host-sid', sameSite: 'strict', persist: false },
    });
    const manager = new SessionManager({ store: new TestStore(), ...options });
    expect(manager.options.idleTimeoutMs).toBe(900_000);
    expect(manager.options.cookie.name).toBe('__Host-sid');
  });

  it('reads the plain-number variants in hours and minutes', () => {
    expect(
      sessionOptionsFromEnv({ SESSION_LIFETIME_HOURS: '12', SESSION_IDLE_TIMEOUT_MINUTES: '30' }),
    ).toMatchObject({ lifetime: 43_200_000, idleTimeout: 1_800_000 });
  });

  it('treats 0 as "no idle timeout"', () => {
    expect(sessionOptionsFromEnv({ SESSION_IDLE_TIMEOUT: '0' }).idleTimeout).toBe(0);
  });

  it('leaves unset variables to the defaults and honours a prefix', () => {
    expect(sessionOptionsFromEnv({})).toEqual({ cookie: {} });
    expect(
      sessionOptionsFromEnv({ ADMIN_SESSION_LIFETIME: '2h' }, { prefix: 'ADMIN_SESSION_' }),
    ).toMatchObject({ lifetime: 7_200_000 });
  });

  it('reports every problem at once, naming the variables', () => {
    let error: unknown;
    try {
      sessionOptionsFromEnv({
        SESSION_LIFETIME: '24',
        SESSION_IDLE_TIMEOUT: 'soon',
        SESSION_COOKIE_SECURE: 'maybe',
        SESSION_COOKIE_SAMESITE: 'sometimes',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('SESSION_LIFETIME="24" has no unit');
    expect(message).toContain('SESSION_IDLE_TIMEOUT');
    expect(message).toContain('SESSION_COOKIE_SECURE must be true or false');
    expect(message).toContain('SESSION_COOKIE_SAMESITE must be lax, strict or none');
  });

  it('refuses an idle timeout longer than the lifetime', () => {
    expect(() =>
      sessionOptionsFromEnv({ SESSION_LIFETIME: '1h', SESSION_IDLE_TIMEOUT: '2h' }),
    ).toThrow(/cannot be longer than SESSION_LIFETIME/);
  });

  it('applies bounds, default and configured', () => {
    expect(() => sessionOptionsFromEnv({ SESSION_LIFETIME: '400d' })).toThrow(/between/);
    expect(() => sessionOptionsFromEnv({ SESSION_IDLE_TIMEOUT: '10s' })).toThrow(/between/);
    expect(() =>
      sessionOptionsFromEnv({ SESSION_LIFETIME: '12h' }, { lifetime: { max: '8h' } }),
    ).toThrow(/SESSION_LIFETIME must be between/);
  });

  it('refuses both spellings of one setting', () => {
    expect(() =>
      sessionOptionsFromEnv({ SESSION_LIFETIME: '1h', SESSION_LIFETIME_HOURS: '1' }),
    ).toThrow(/not both/);
  });
});

describe('cookie names', () => {
  it('generateCookieName gives session_ + 8 random characters', () => {
    const names = new Set(Array.from({ length: 100 }, generateCookieName));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^session_[a-z0-9]{8}$/);
  });

  it('cookieNameFor is stable per app and differs between apps', () => {
    expect(cookieNameFor('shop')).toBe(cookieNameFor('shop'));
    expect(cookieNameFor('shop')).not.toBe(cookieNameFor('admin'));
    expect(cookieNameFor('shop')).toMatch(/^session_[a-z0-9]{8}$/);
  });
});
