/** A session as express-session stored it: the app's values plus express-session's `cookie`. */
export type LegacySessionData = Record<string, unknown> & {
  cookie?: {
    expires?: string | null;
    originalMaxAge?: number | null;
    [key: string]: unknown;
  };
};

/** One stored express-session session, and whether its store considers it expired. */
export interface LegacyRecord {
  session: LegacySessionData;
  expired: boolean;
}

/**
 * Reads sessions from an express-session store's own tables or keys, by the id inside the
 * legacy cookie. One small reader per store layout; write your own for another store.
 */
export interface LegacyReader {
  /**
   * Reads the session and deletes it in one atomic step, so that of two requests presenting
   * the same legacy cookie only one gets the session (an import happens exactly once).
   */
  take(sid: string): Promise<LegacyRecord | null>;
  /** Reads without deleting (`deleteAfterImport: false`). */
  read(sid: string): Promise<LegacyRecord | null>;
}

/**
 * The stored session as an object: stores keep JSON text (or a JSON column the driver already
 * parsed). Anything that is not a JSON object reads as "no session", like a corrupt row.
 */
export function parseLegacySession(raw: unknown): LegacySessionData | null {
  let value = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value as LegacySessionData;
}
