/**
 * @hallpass/core/store: the kit for writing a session store. It loads no cookie or HTTP code.
 *
 * ```ts
 * import { type Store, StoreUnavailableError, assertValidId } from '@hallpass/core/store';
 * ```
 */
export type { Codec, SessionEnvelope } from './codec.js';
export {
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
export { withDeadline } from './store/deadline.js';
export {
  assertValidId,
  assertValidRecord,
  assertValidTouch,
  assertValidUserId,
  type RecordLimits,
} from './store/validate.js';
export { tokenToId } from './token.js';
