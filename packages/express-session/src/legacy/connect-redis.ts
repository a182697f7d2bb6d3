import { type LegacyReader, type LegacyRecord, parseLegacySession } from './reader.js';

/** The commands the reader needs, from a node-redis (`getDel`) or ioredis (`getdel`) client. */
export interface LegacyRedisClient {
  get(key: string): Promise<unknown>;
  getDel?(key: string): Promise<unknown>;
  getdel?(key: string): Promise<unknown>;
}

export interface ConnectRedisReaderOptions {
  /** The app's Redis client (node-redis or ioredis). Needs Redis 6.2+ for GETDEL. */
  client: LegacyRedisClient;
  /** connect-redis's `prefix`. Default `sess:`. */
  prefix?: string;
}

/**
 * Sessions stored by connect-redis: a JSON string at `<prefix><sid>`, expired by Redis's own
 * TTL (an expired session is simply not there).
 */
export function connectRedisReader(options: ConnectRedisReaderOptions): LegacyReader {
  const { client } = options;
  const prefix = options.prefix ?? 'sess:';
  const toRecord = (raw: unknown): LegacyRecord | null => {
    if (raw === null || raw === undefined) return null;
    const session = parseLegacySession(raw);
    return session && { session, expired: false };
  };
  return {
    async take(sid) {
      const key = prefix + sid;
      if (client.getDel) return toRecord(await client.getDel(key));
      if (client.getdel) return toRecord(await client.getdel(key));
      throw new TypeError('the Redis client has neither getDel (node-redis) nor getdel (ioredis)');
    },
    async read(sid) {
      return toRecord(await client.get(prefix + sid));
    },
  };
}
