export { type Codec, devalueCodec, jsonCodec, type SessionEnvelope } from './codec.js';
export { type Duration, toMilliseconds } from './duration.js';
export {
  type Bounds,
  cookieNameFor,
  type EnvOptions,
  type EnvSessionOptions,
  generateCookieName,
  sessionOptionsFromEnv,
} from './env.js';
export {
  ConfigurationError,
  SessionInputError,
  SessionNotLoadedError,
  SessionTooLargeError,
} from './errors.js';
export {
  type RejectReason,
  type RevokeReason,
  type SessionEvent,
  type SessionEventBase,
  type SessionEventMap,
  type SessionEventType,
  sessionChannel,
} from './events.js';
export { addressFromForwardedHeader, trustProxyHeader } from './http/client-ip.js';
export { type ErrorAnswer, messageFor, sessionErrorResponse, statusFor } from './http/errors.js';
export { type FetchAdapterOptions, type FetchHandler, withSessionHeaders } from './http/fetch.js';
export {
  appendListToken,
  type CurrentSessionHeaders,
  headerLines,
  type SessionHeaderUpdate,
  sessionResponseHeaders,
  withSessionCookie,
} from './http/headers.js';
export type { NextFunction, NodeAdapterOptions, NodeHandler, NodeMiddleware } from './http/node.js';
export type { BeginResult, FinishResult, RequestSession } from './lifecycle.js';
export { type BeginOptions, SessionManager } from './manager.js';
export type { BindingOptions, CookieOptions, SameSite, SessionManagerOptions } from './options.js';
export {
  type ClientInfo,
  Session,
  type SessionData,
  type SessionStatus,
  type SignInOptions,
  type UntypedSessionData,
} from './session.js';
// The store author's kit, kept here for stores written against earlier versions: new stores
// import it from '@hallpass/core/store', which loads no cookie or HTTP code.
export * from './store.js';
export { generateToken, isWellFormedToken } from './token.js';
export type { RevokeOptions, UserSessionInfo } from './user-sessions.js';
