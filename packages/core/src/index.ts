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
export { supports } from './store/capabilities.js';
export {
  assertValidId,
  assertValidRecord,
  assertValidUserId,
  type RecordLimits,
} from './store/validate.js';
export {
  ConfigurationError,
  CorruptDataError,
  HallpassError,
  InvalidInputError,
  SessionNotLoadedError,
  SessionTooLargeError,
  StoreAbortedError,
  StoreConflictError,
  StoreError,
  StoreUnavailableError,
  throwIfAborted,
} from './errors.js';
export { generateToken, isWellFormedToken, tokenToId } from './token.js';
export { type Codec, devalueCodec, jsonCodec, type SessionEnvelope } from './codec.js';
export { type Duration, toMilliseconds } from './duration.js';
