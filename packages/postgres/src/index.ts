export type { DeleteExpiredOptions } from '@hallpass/core';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { sessionTableSql, type TableOptions } from './schema.js';
