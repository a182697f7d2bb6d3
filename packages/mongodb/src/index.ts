export type { SessionDocument } from './documents.js';
export { SESSION_INDEXES } from './indexes.js';
export { MongoStore, mongoStoreChannel } from './mongodb-store.js';
export type { CorruptReport, MongoStoreOptions } from './options.js';
