export type { DeleteExpiredOptions } from './cleanup.js';
export { sessionTableSql } from './schema.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
