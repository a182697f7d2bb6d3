export {
  type Backend,
  backendAvailable,
  backendUnreachable,
  HOW_TO_START,
  MYSQL_URL,
  POSTGRES_URL,
  REDIS_URL,
  serversRequired,
  throwawaySkipReason,
  uniqueName,
} from './backends.js';
export { freePort } from './free-port.js';
export {
  startRedisCluster,
  type ThrowawayRedisCluster,
  waitForClusterOk,
} from './redis-cluster.js';
export { type RedisProcess, startRedisServer, waitForPing } from './redis-server.js';
export {
  createThrowawayMariadb,
  type ThrowawayMariadb,
  throwawayUnsupported as throwawayMariadbUnsupported,
} from './throwaway-mariadb.js';
export {
  createThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayUnsupported as throwawayPostgresUnsupported,
} from './throwaway-postgres.js';
