export { CachedStore, type CachedStoreOptions } from './cached-store.js';
export {
  ReplicatedStore,
  type ReplicatedStoreOptions,
  type ReplicationFailure,
} from './replicated-store.js';
