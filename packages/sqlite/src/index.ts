export type { DeleteExpiredOptions } from '@hallpass/core';
export { sessionTableSql } from './schema.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
