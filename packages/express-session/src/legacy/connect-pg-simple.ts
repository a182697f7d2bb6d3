import { type LegacyReader, type LegacyRecord, parseLegacySession } from './reader.js';

/** A pg Pool or Client (anything with pg's `query(text, values)`). */
export interface LegacyPgQueryable {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

export interface ConnectPgSimpleReaderOptions {
  pool: LegacyPgQueryable;
  /** connect-pg-simple's `tableName`. Default `session`. */
  tableName?: string;
  /** connect-pg-simple's `schemaName`. Default: the search path. */
  schemaName?: string;
}

/**
 * Sessions stored by connect-pg-simple: a row (sid, sess json, expire timestamp). Expiry is
 * judged as connect-pg-simple judges it, `expire` against the app's clock in the database's
 * time zone.
 */
export function connectPgSimpleReader(options: ConnectPgSimpleReaderOptions): LegacyReader {
  const table =
    (options.schemaName === undefined ? '' : `${quote(options.schemaName)}.`) +
    quote(options.tableName ?? 'session');
  const query = async (sql: string, sid: string): Promise<LegacyRecord | null> => {
    const { rows } = await options.pool.query(sql, [sid, Date.now() / 1000]);
    const row = rows[0];
    if (!row) return null;
    const session = parseLegacySession(row.sess);
    return session && { session, expired: row.expired === true };
  };
  return {
    take: (sid) =>
      query(
        `DELETE FROM ${table} WHERE sid = $1 RETURNING sess, expire < to_timestamp($2) AS expired`,
        sid,
      ),
    read: (sid) =>
      query(`SELECT sess, expire < to_timestamp($2) AS expired FROM ${table} WHERE sid = $1`, sid),
  };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
