import type { Session, SessionData, SessionManager, UntypedSessionData } from '@hallpass/core';
import {
  answerResponse,
  applySessionHeaders,
  errorResponse,
  LazyClient,
  sessionHeadersFor,
} from '@hallpass/core/http';
import type { Context, MiddlewareHandler } from 'hono';

/** The context variables this middleware sets: `new Hono<{ Variables: SessionVariables<MyData> }>()`. */
export type SessionVariables<D extends SessionData = UntypedSessionData> = { session: Session<D> };

export interface HallpassHonoOptions {
  /**
   * The response when the session cannot be loaded or saved. Default: plain-text 503 when the
   * store is unavailable or timed out (retry later), 500 otherwise. If it throws, the default
   * answer is sent.
   */
  onError?: (error: unknown, c: Context) => Response | Promise<Response>;
  /**
   * The client's IP, recorded on new sessions. Fetch requests carry none; on Node use
   * `(c) => getConnInfo(c).remote.address` from `@hono/node-server/conninfo`.
   */
  clientIp?: (c: Context) => string | undefined;
}

/** Hono merges the old response's headers into a newly assigned one; clearing first prevents that. */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/**
 * Hono middleware: loads the session before the handlers run (`c.get('session')`,
 * `c.var.session`), commits it after they return and adds the cookie to the response. The
 * commit finishes before the response is handed to the server, so streamed responses carry
 * the cookie too; changes made while the stream is still being written cannot be saved.
 */
export function hallpass<D extends SessionData = UntypedSessionData>(
  manager: SessionManager<D>,
  options: HallpassHonoOptions = {},
): MiddlewareHandler<{ Variables: SessionVariables<D> }> {
  return async (c, next) => {
    const begun = await manager.begin(c.req.raw, {
      cookieHeader: c.req.header('cookie'),
      client: new LazyClient(c, userAgentOf, options.clientIp ?? noIp),
    });
    if (!begun.ok) return errorResponse(options.onError, begun.error, begun.fail, c);
    c.set('session', begun.session);

    // Hono turns a throwing handler into an error response (app.onError) before this resumes:
    // the session is still committed, as it is behind every adapter's error handling.
    await next();

    const finished = await begun.finish();
    if (!finished.ok) {
      await c.res.body?.cancel().catch(() => {});
      replaceResponse(c, await errorResponse(options.onError, finished.error, begun.fail, c));
      return;
    }
    try {
      const response = applySessionHeaders(c.res, sessionHeadersFor(begun, c.res));
      if (response !== c.res) replaceResponse(c, response);
    } catch (error) {
      // The app left no usable response (a handler that returned something else).
      replaceResponse(c, answerResponse(begun.fail(error)));
    }
  };
}

// Read only when a session records its client or an event reports it (LazyClient).
const userAgentOf = (c: Context) => c.req.header('user-agent');
const noIp = () => undefined;
