import { type ErrorAnswer, errorAnswer } from './http/errors.js';
import {
  type CurrentSessionHeaders,
  mergeSessionHeaders,
  type SessionHeaderUpdate,
} from './http/headers.js';
import { reportError } from './persistence/state.js';
import { type Session, type SessionData, setCookieOf, stateOf } from './session.js';

/** How `finish()` went: committed, or failed with the answer to send instead. */
export type FinishResult = { ok: true } | { ok: false; error: unknown; answer: ErrorAnswer };

/**
 * One request's session, from load to the response headers. Every adapter (node, Fetch,
 * Fastify, Hono, Koa, yours) is glue around this: run the app, then `finish()`, then apply
 * `headers()` to the response. No method rejects or throws.
 */
export interface RequestSession<D extends SessionData = SessionData> {
  readonly session: Session<D>;
  /**
   * Commits the session once (later calls return the same result) and seals it: changes
   * after this cannot be saved and throw. A store failure is reported on the `error` event
   * (phase `commit`) and returned with the answer to send instead of the app's response.
   */
  finish(): Promise<FinishResult>;
  /**
   * The Set-Cookie, Vary and Cache-Control values the response needs, merged with the ones it
   * has; undefined when it needs none. Call it after `finish()`, or when the response headers
   * must go out before the commit ends (they then announce the write the commit will make).
   */
  headers(current: CurrentSessionHeaders): SessionHeaderUpdate | undefined;
  /**
   * For a failure of the response itself (the app passed the framework something it cannot
   * send, an error handler threw): reports it on the `error` event (phase `response`) and
   * returns the plain answer to send if the headers are not out yet.
   */
  fail(error: unknown): ErrorAnswer;
}

/** What begin() resolves to: the request's session, or the answer for a load failure. */
export type BeginResult<D extends SessionData = SessionData> =
  | ({ ok: true } & RequestSession<D>)
  | { ok: false; error: unknown; answer: ErrorAnswer; fail(error: unknown): ErrorAnswer };

/** The lifecycle around a loaded session. Module-internal: SessionManager.begin builds it. */
export function requestSession<D extends SessionData>(
  session: Session<D>,
): { ok: true } & RequestSession<D> {
  const state = stateOf(session);
  let finished: Promise<FinishResult> | undefined;
  let failed = false;
  // A response for a stored session is that user's page even when it sets no cookie.
  const readSession = state.persisted !== null;

  const finish = async (): Promise<FinishResult> => {
    try {
      await session.commit();
      return { ok: true };
    } catch (error) {
      failed = true;
      reportError(state, error, 'commit');
      return { ok: false, error, answer: errorAnswer(error) };
    } finally {
      state.sealed = true;
    }
  };

  return {
    ok: true,
    session,
    finish: () => {
      finished ??= finish();
      return finished;
    },
    headers(current) {
      if (failed) return undefined;
      let cookie: string | undefined;
      try {
        cookie = setCookieOf(state);
      } catch (error) {
        // Construction validates every cookie option, so this is a bug: report, send no cookie.
        reportError(state, error, 'response');
        return undefined;
      }
      return mergeSessionHeaders(current, state.ctx.options.cookie.name, cookie, readSession);
    },
    fail(error) {
      reportError(state, error, 'response');
      return errorAnswer(error);
    },
  };
}
