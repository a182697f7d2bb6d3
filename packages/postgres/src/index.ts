export type { DeleteExpiredOptions } from './cleanup.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { sessionTableSql, type TableOptions } from './schema.js';
