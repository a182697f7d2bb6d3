export { DEFAULT_MAX_SESSIONS, MemoryStoreFullError, type WhenFull } from './capacity.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
