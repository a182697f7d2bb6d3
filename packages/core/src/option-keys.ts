import { ConfigurationError } from './errors.js';

/**
 * Unknown option keys are refused at construction: a misspelt `idleTimout` or an
 * express-session `secret` silently ignored would leave the app without what it asked for.
 */

export const MANAGER_KEYS = [
  'store',
  'lifetime',
  'idleTimeout',
  'touchAfter',
  'cookie',
  'codec',
  'maxDataBytes',
  'maxConflictRetries',
  'maxSessionsPerUser',
  'binding',
  'storeTimeout',
  'clock',
  'logUnobservedErrors',
] as const;

export const COOKIE_KEYS = [
  'name',
  'domain',
  'path',
  'httpOnly',
  'secure',
  'sameSite',
  'partitioned',
  'persist',
] as const;

export const BINDING_KEYS = ['ip', 'userAgent', 'onMismatch'] as const;

const MIGRATION_GUIDE = 'docs/migrating-from-express-session.md';

/** express-session options, by path, with what replaces them. */
const EXPRESS_SESSION: Record<string, string> = {
  secret: 'hallpass needs no secret: the cookie holds a random token, stored only as its hash',
  resave: 'hallpass writes a session only when it changed',
  saveUninitialized: 'hallpass never stores an untouched session',
  rolling: 'use idleTimeout (with touchAfter)',
  genid: 'tokens are always 32 bytes from the CSPRNG',
  name: 'use cookie.name',
  proxy: "use the adapter's clientIp option (Express's trust proxy is honoured)",
  unset: 'call session.destroy() to end a session',
  'cookie.maxAge': 'use lifetime on the manager',
  'cookie.expires': 'use lifetime on the manager',
  'cookie.signed': 'the token is random and needs no signature',
  'cookie.priority': 'not supported',
};

/** Edit distance, for "did you mean": small inputs only (option names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The valid key closest to `key`, if it is close enough to be a typo. */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of valid) {
    const d = distance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Why each key of `object` outside `valid` is wrong, named by its path (`cookie.maxAge`). */
function problems(object: object, valid: readonly string[], prefix: string): string[] {
  const found: string[] = [];
  for (const key of Object.keys(object)) {
    if (valid.includes(key)) continue;
    const path = prefix + key;
    const legacy = EXPRESS_SESSION[path];
    const near = closestKey(key, valid);
    if (legacy !== undefined) {
      found.push(`"${path}" is an express-session option: ${legacy} (see ${MIGRATION_GUIDE})`);
    } else if (near !== undefined) {
      found.push(`"${path}" (did you mean "${prefix}${near}"?)`);
    } else {
      found.push(`"${path}"`);
    }
  }
  return found;
}

/** Throws a ConfigurationError naming every unknown key of the options, nested ones too. */
export function assertKnownKeys(options: object): void {
  const record = options as { cookie?: unknown; binding?: unknown };
  const found = problems(options, MANAGER_KEYS, '');
  if (typeof record.cookie === 'object' && record.cookie !== null) {
    found.push(...problems(record.cookie, COOKIE_KEYS, 'cookie.'));
  }
  if (typeof record.binding === 'object' && record.binding !== null) {
    found.push(...problems(record.binding, BINDING_KEYS, 'binding.'));
  }
  if (found.length > 0) {
    throw new ConfigurationError(`unknown SessionManager option ${found.join('; ')}`);
  }
}
