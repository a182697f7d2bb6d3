/**
 * @hallpass/core/store: the kit for writing a session store. It loads no cookie or HTTP code.
 *
 * ```ts
 * import { BaseStore, type SessionRow, type StoreCall } from '@hallpass/core/store';
 * ```
 */
export type { Codec, SessionEnvelope } from './codec.js';
export {
  ConfigurationError,
  CorruptDataError,
  HallpassError,
  type HallpassErrorCode,
  InvalidInputError,
  RecordTooLargeError,
  StoreAbortedError,
  StoreConflictError,
  StoreError,
  StoreUnavailableError,
  throwIfAborted,
} from './errors.js';
export { abortable } from './store/abortable.js';
export { type Awaitable, isPromiseLike, mapAwaitable } from './store/awaitable.js';
export {
  BaseStore,
  type CleanupOptions,
  type CommonStoreOptions,
  type RowRecord,
  type RowUpdate,
  type StandardStoreOptions,
  type StoreCall,
  type StoreSettings,
  type WriteCall,
} from './store/base-store.js';
export { supports } from './store/capabilities.js';
export { type DeleteExpiredOptions, deleteInBatches, Sweeper } from './store/cleanup.js';
export { resolveClock } from './store/clock.js';
export type {
  CallOptions,
  CreateResult,
  DeleteByUserOptions,
  IterableStore,
  IterateOptions,
  SessionRecord,
  SessionUpdate,
  Store,
  StoreCapabilities,
  StoredSession,
  TouchableStore,
  UpdateOptions,
  UpdateResult,
  UserIndexStore,
} from './store/contract.js';
export {
  type CorruptDataEvent,
  type CorruptDataListener,
  corruptDataChannel,
  corruptDataReporter,
} from './store/corrupt-data.js';
export { withDeadline } from './store/deadline.js';
export {
  type ErrorClassifier,
  type ErrorContext,
  type StoreErrorKind,
  toStoreError,
} from './store/error-mapping.js';
export { StoreLifecycle } from './store/lifecycle.js';
export { type ReadRowOptions, readSessionRow, type SessionRow } from './store/rows.js';
export {
  fromSqlRow,
  SQL_SESSION_COLUMNS,
  type SqlSelect,
  type SqlSessionRow,
  SqlStore,
} from './store/sql.js';
export { quoteSqlIdentifier } from './store/sql-identifiers.js';
export {
  assertValidId,
  assertValidPageSize,
  assertValidRecord,
  assertValidTouch,
  assertValidUserId,
  assertValidVersion,
  type RecordLimits,
} from './store/validate.js';
export { tokenToId } from './token.js';
