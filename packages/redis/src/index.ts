export { DEFAULT_REDIS_OPTIONS, type RedisClient } from './client.js';
export { DEFAULT_PREFIX } from './keys.js';
export {
  type CorruptDataEvent,
  RedisStore,
  type RedisStoreOptions,
  redisStoreChannel,
} from './redis-store.js';
