export { expressClientIp } from './client-ip.js';
export type { ExpressSessionCookie } from './cookie-view.js';
export {
  type BetterSqlite3SessionStoreReaderOptions,
  betterSqlite3SessionStoreReader,
  type LegacySqliteDatabase,
} from './legacy/better-sqlite3-session-store.js';
export {
  type ConnectMongoReaderOptions,
  connectMongoReader,
  type LegacyMongoCollection,
} from './legacy/connect-mongo.js';
export {
  type ConnectPgSimpleReaderOptions,
  connectPgSimpleReader,
  type LegacyPgQueryable,
} from './legacy/connect-pg-simple.js';
export {
  type ConnectRedisReaderOptions,
  connectRedisReader,
  type LegacyRedisClient,
} from './legacy/connect-redis.js';
export {
  defaultMapSession,
  type LegacyImportOptions,
  type MappedSession,
} from './legacy/import.js';
export {
  type LegacyReader,
  type LegacyRecord,
  type LegacySessionData,
  parseLegacySession,
} from './legacy/reader.js';
export type { LegacyCookieOptions } from './legacy/signed-cookie.js';
export { type ExpressSessionOptions, expressSession, type SessionRequest } from './middleware.js';
export { passportUser, type UserFromSession } from './passport-user.js';
export type { ExpressSession } from './session-proxy.js';
