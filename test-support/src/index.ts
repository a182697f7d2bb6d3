export {
  backendAvailable,
  MYSQL_URL,
  POSTGRES_URL,
  throwawaySkipReason,
  uniqueName,
} from './backends.js';
export { freePort } from './free-port.js';
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
