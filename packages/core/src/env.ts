import { createHash, randomBytes } from 'node:crypto';
import { toMilliseconds } from './duration.js';
import { ConfigurationError } from './errors.js';
import {
  type CookieOptions,
  MAX_LIFETIME_MS,
  type SameSite,
  type SessionManagerOptions,
  unsendableCookie,
} from './options.js';

export interface Bounds {
  /** Smallest accepted value (a Duration as in the options). */
  min?: number | string;
  /** Largest accepted value. */
  max?: number | string;
}

export interface EnvOptions {
  /** Variable prefix. Default `SESSION_` (SESSION_LIFETIME, SESSION_IDLE_TIMEOUT, ...). */
  prefix?: string;
  /** Accepted range of the lifetime. Default 1 minute to 30 days. */
  lifetime?: Bounds;
  /** Accepted range of a non-zero idle timeout. Default 1 minute to 30 days. */
  idleTimeout?: Bounds;
}

export type EnvSessionOptions = Pick<SessionManagerOptions, 'lifetime' | 'idleTimeout'> & {
  cookie: CookieOptions;
};

const DEFAULT_BOUNDS: Required<Bounds> = { min: '1m', max: '30d' };
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

/**
 * Session options from environment variables, validated at start-up. With the default
 * prefix it reads:
 *
 * - SESSION_LIFETIME (`24h`, `90m`, `7d`...) or SESSION_LIFETIME_HOURS (a plain number of hours)
 * - SESSION_IDLE_TIMEOUT (`15m`...; `0` disables) or SESSION_IDLE_TIMEOUT_MINUTES (plain minutes)
 * - SESSION_COOKIE_NAME, SESSION_COOKIE_DOMAIN, SESSION_COOKIE_PATH, SESSION_COOKIE_SAMESITE
 *   (lax/strict/none), SESSION_COOKIE_SECURE, SESSION_COOKIE_PERSIST, SESSION_COOKIE_PARTITIONED
 *   (true/false/1/0/yes/no/on/off)
 *
 * Every problem is reported at once in one ConfigurationError naming the variables. Unset
 * variables are left out, so the manager's defaults apply.
 */
export function sessionOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: EnvOptions = {},
): EnvSessionOptions {
  const prefix = options.prefix ?? 'SESSION_';
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[prefix + name]?.trim();
    return value === '' ? undefined : value;
  };
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  const lifetime = attempt(() =>
    readDuration(prefix, read, 'LIFETIME', 'LIFETIME_HOURS', 'h', options.lifetime),
  );
  const idleTimeout = attempt(() =>
    readDuration(prefix, read, 'IDLE_TIMEOUT', 'IDLE_TIMEOUT_MINUTES', 'm', options.idleTimeout),
  );
  if (lifetime !== undefined && idleTimeout !== undefined && idleTimeout > lifetime) {
    problems.push(
      `${prefix}IDLE_TIMEOUT (${idleTimeout} ms) cannot be longer than ${prefix}LIFETIME (${lifetime} ms)`,
    );
  }

  const cookie: CookieOptions = {};
  const name = read('COOKIE_NAME');
  if (name !== undefined) cookie.name = name;
  const domain = read('COOKIE_DOMAIN');
  if (domain !== undefined) cookie.domain = domain;
  const path = read('COOKIE_PATH');
  if (path !== undefined) cookie.path = path;
  // The same trial serialisation as the manager's, named by variable.
  for (const [variable, attributes] of [
    ['COOKIE_NAME', { name }],
    ['COOKIE_DOMAIN', { domain }],
    ['COOKIE_PATH', { path }],
  ] as const) {
    const problem = unsendableCookie(attributes);
    if (problem) problems.push(`${prefix}${variable} cannot be sent in a cookie: ${problem}`);
  }
  const sameSite = read('COOKIE_SAMESITE')?.toLowerCase();
  if (sameSite !== undefined) {
    if (sameSite === 'lax' || sameSite === 'strict' || sameSite === 'none') {
      cookie.sameSite = sameSite as SameSite;
    } else {
      problems.push(`${prefix}COOKIE_SAMESITE must be lax, strict or none, not "${sameSite}"`);
    }
  }
  for (const [variable, key] of [
    ['COOKIE_SECURE', 'secure'],
    ['COOKIE_PERSIST', 'persist'],
    ['COOKIE_PARTITIONED', 'partitioned'],
    ['COOKIE_HTTPONLY', 'httpOnly'],
  ] as const) {
    const raw = read(variable);
    if (raw === undefined) continue;
    const value = BOOLEANS[raw.toLowerCase()];
    if (value === undefined)
      problems.push(`${prefix}${variable} must be true or false, not "${raw}"`);
    else cookie[key] = value;
  }

  if (problems.length > 0) {
    throw new ConfigurationError(`invalid session configuration:\n- ${problems.join('\n- ')}`);
  }
  const result: EnvSessionOptions = { cookie };
  if (lifetime !== undefined) result.lifetime = lifetime;
  if (idleTimeout !== undefined) result.idleTimeout = idleTimeout;
  return result;
}

function readDuration(
  prefix: string,
  read: (name: string) => string | undefined,
  name: string,
  plainName: string,
  plainUnit: 'h' | 'm',
  bounds: Bounds = {},
): number | undefined {
  const text = read(name);
  const plain = read(plainName);
  if (text !== undefined && plain !== undefined) {
    throw new Error(`set ${prefix}${name} or ${prefix}${plainName}, not both`);
  }
  let ms: number;
  if (text !== undefined) {
    if (/^\d+(\.\d+)?$/.test(text) && text !== '0') {
      throw new Error(
        `${prefix}${name}="${text}" has no unit: write e.g. ${text}${plainUnit}, or use ${prefix}${plainName}`,
      );
    }
    ms = text === '0' ? 0 : toMilliseconds(text, prefix + name);
  } else if (plain !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(plain)) {
      throw new Error(`${prefix}${plainName} must be a plain number, not "${plain}"`);
    }
    ms = toMilliseconds(`${plain}${plainUnit}`, prefix + plainName);
  } else {
    return undefined;
  }
  // Zero disables the idle timeout; the bounds apply to real values.
  if (ms === 0 && name === 'IDLE_TIMEOUT') return 0;
  const min = toMilliseconds(bounds.min ?? DEFAULT_BOUNDS.min, 'bound');
  // However wide the app's bounds, the manager's own limit applies.
  const max = Math.min(toMilliseconds(bounds.max ?? DEFAULT_BOUNDS.max, 'bound'), MAX_LIFETIME_MS);
  if (ms < min || ms > max) {
    throw new Error(
      `${prefix}${text !== undefined ? name : plainName} must be between ${min} ms and ${max} ms, got ${ms} ms`,
    );
  }
  return ms;
}

const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function toName(bytes: Uint8Array): string {
  let suffix = '';
  for (const byte of bytes.subarray(0, 8)) suffix += NAME_ALPHABET[byte % NAME_ALPHABET.length];
  return `session_${suffix}`;
}

/**
 * A fresh cookie name, `session_` + 8 random characters, so several apps on one host
 * (localhost:3000 and :3001 share cookies) do not overwrite each other's sessions. Generate it
 * once and keep it in the app's configuration: a new name signs everybody out.
 */
export function generateCookieName(): string {
  return toName(randomBytes(8));
}

/** The same kind of name derived from a stable app identifier (its package name, say). */
export function cookieNameFor(appId: string): string {
  return toName(createHash('sha256').update(appId).digest());
}
