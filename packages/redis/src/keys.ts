import { ConfigurationError } from '@hallpass/core';

export const DEFAULT_PREFIX = 'hallpass';

/**
 * The key names of one store. Every script touches exactly one key, so no two keys ever need
 * to share a hash slot: sessions spread over the whole cluster by id, user indexes by user.
 */
export class KeySpace {
  readonly prefix: string;
  readonly #session: string;
  readonly #user: string;

  constructor(prefix: string = DEFAULT_PREFIX) {
    if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
      throw new ConfigurationError('prefix must be a non-empty string of at most 200 characters');
    }
    if (prefix.includes('{') || prefix.includes('}')) {
      // A hash tag in the prefix would pin every key of the store to one cluster slot.
      throw new ConfigurationError('prefix must not contain "{" or "}" (a Redis Cluster hash tag)');
    }
    this.prefix = prefix;
    this.#session = `${prefix}:session:`;
    this.#user = `${prefix}:user:`;
  }

  session(id: string): string {
    return this.#session + id;
  }

  /** The id of a session key from SCAN, or undefined for a key of another kind. */
  idOf(key: string): string | undefined {
    return key.startsWith(this.#session) ? key.slice(this.#session.length) : undefined;
  }

  user(userId: string): string {
    return this.#user + userId;
  }

  /** SCAN pattern matching the session keys only (glob characters of the prefix escaped). */
  get sessionPattern(): string {
    return `${escapeGlob(this.#session)}*`;
  }

  /** SCAN pattern matching every key the store owns (sessions and user indexes). */
  get everythingPattern(): string {
    return `${escapeGlob(this.prefix)}:*`;
  }
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether a string read back from Redis (a SCAN key suffix, an index member) is a session id. */
export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
