export {
  DEFAULT_MAX_SESSIONS,
  MemoryStore,
  MemoryStoreFullError,
  type MemoryStoreOptions,
} from './memory-store.js';
