import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError, type Session, type SessionData } from '@hallpass/core';
import { passportUser } from '../passport-user.js';
import type { LegacyReader, LegacySessionData } from './reader.js';
import { clearedLegacyCookie, type LegacyCookieOptions, legacySessionId } from './signed-cookie.js';

/** What a legacy session becomes in hallpass. */
export interface MappedSession {
  /** The user for hallpass's per-user index; null for an anonymous session. */
  userId: string | null;
  values: SessionData;
  /** false for a browser-session cookie; undefined keeps the manager's `cookie.persist`. */
  persist?: boolean | undefined;
}

export interface LegacyImportOptions {
  /** Reads the old store: connectRedisReader, connectPgSimpleReader, ... */
  reader: LegacyReader;
  /** express-session's `secret`: one, or the list (newest first) if it was rotated. */
  secrets: string | readonly string[];
  /** express-session's cookie `name` (default `connect.sid`), and its path/domain for clearing. */
  cookie?: LegacyCookieOptions;
  /** Turns the old session into hallpass values and user. Default: `defaultMapSession`. Return null to drop it. */
  mapSession?: (old: LegacySessionData) => MappedSession | null;
  /**
   * Delete the old session once imported (default true), so a replay of the old cookie gets
   * nothing. false keeps it, for a rollback to express-session; the old cookie can then be
   * imported again (once per browser, as the browser is told to drop it).
   */
  deleteAfterImport?: boolean;
}

/**
 * The default mapping: every value but express-session's `cookie` carries over, the user is
 * passport's `passport.user`, and a session whose cookie had no expiry stays a
 * browser-session cookie.
 */
export function defaultMapSession(old: LegacySessionData): MappedSession {
  const { cookie, ...values } = old;
  return {
    userId: passportUser(values),
    values,
    persist: cookie && cookie.expires == null ? false : undefined,
  };
}

/**
 * Imports a legacy session into a new hallpass session, on the first request that brings
 * a validly signed legacy cookie and no hallpass session.
 */
export function legacyImporter(
  options: LegacyImportOptions,
): (req: IncomingMessage, res: ServerResponse, session: Session<SessionData>) => Promise<void> {
  const secrets = typeof options.secrets === 'string' ? [options.secrets] : [...options.secrets];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === '')) {
    throw new ConfigurationError(
      "legacy.secrets must be express-session's secret(s): non-empty strings",
    );
  }
  if (typeof options.reader?.take !== 'function' || typeof options.reader.read !== 'function') {
    throw new ConfigurationError('legacy.reader must be a LegacyReader (e.g. connectRedisReader)');
  }
  const cookie = {
    ...options.cookie,
    name: options.cookie?.name ?? 'connect.sid',
    path: options.cookie?.path ?? '/',
  };
  const mapSession = options.mapSession ?? defaultMapSession;
  const remove = options.deleteAfterImport ?? true;

  return async (req, res, session) => {
    const sid = legacySessionId(req.headers.cookie, cookie.name, secrets);
    // A forged or unsigned cookie is left alone: if the secrets are misconfigured, fixing them
    // must still find every browser's cookie in place.
    if (sid === null) return;
    const record = remove ? await options.reader.take(sid) : await options.reader.read(sid);
    res.appendHeader('set-cookie', clearedLegacyCookie(cookie));
    if (!record || record.expired) return;
    const mapped = mapSession(record.session);
    if (!mapped) return;
    for (const [key, value] of Object.entries(mapped.values)) session.put(key, value);
    if (mapped.userId !== null) session.setUser(mapped.userId);
    if (mapped.persist !== undefined) session.rememberMe(mapped.persist);
  };
}
