export { DEFAULT_REDIS_OPTIONS } from './client.js';
export type {
  IoredisClient,
  NodeRedis,
  NodeRedisClient,
  NodeRedisCluster,
  RedisClient,
} from './clients/index.js';
export { DEFAULT_PREFIX } from './keys.js';
export {
  type CorruptDataEvent,
  RedisStore,
  type RedisStoreOptions,
  redisStoreChannel,
} from './redis-store.js';
