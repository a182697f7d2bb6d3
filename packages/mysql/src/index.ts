export type { DeleteExpiredOptions } from '@hallpass/core';
export { MysqlStore, type MysqlStoreOptions } from './mysql-store.js';
export { sessionTableSql, type TableOptions } from './schema.js';
