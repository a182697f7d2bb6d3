/**
 * @hallpass/core/http: the kit for writing a framework adapter on the request lifecycle.
 *
 * ```ts
 * const begun = await manager.begin(request, { cookieHeader, client });
 * if (!begun.ok) return send(begun.answer);          // store down on load: 503
 * await runTheApp(begun.session);
 * const finished = await begun.finish();               // commit; never rejects
 * if (!finished.ok) return send(finished.answer);     // store down on commit: 503
 * apply(begun.headers(currentHeaders));                // Set-Cookie, Vary, Cache-Control
 * ```
 */

export { addressFromForwardedHeader, trustProxyHeader } from './http/client-ip.js';
export {
  answerResponse,
  type ErrorAnswer,
  errorAnswer,
  messageFor,
  sessionErrorResponse,
  statusFor,
} from './http/errors.js';
export { applySessionHeaders, errorResponse, sessionHeadersFor } from './http/fetch.js';
export {
  appendListToken,
  type CurrentSessionHeaders,
  headerLines,
  mergeSessionHeaders,
  type SessionHeaderUpdate,
  sessionResponseHeaders,
  withSessionCookie,
} from './http/headers.js';
export { LazyClient } from './http/lazy-client.js';
export type { BeginResult, FinishResult, RequestSession } from './lifecycle.js';
export type { BeginOptions } from './manager.js';
export type { ClientInfo, Session, SessionData } from './session.js';
