import {
  type ClientInfo,
  type Session,
  type SessionData,
  type SessionManager,
  sessionErrorResponse,
  type UntypedSessionData,
  withSessionHeaders,
} from '@hallpass/core';
import type { Context, MiddlewareHandler } from 'hono';

/** The context variables this middleware sets: `new Hono<{ Variables: SessionVariables<MyData> }>()`. */
export type SessionVariables<D extends SessionData = UntypedSessionData> = { session: Session<D> };

export interface HallpassHonoOptions {
  /**
   * The response when the session cannot be loaded or saved. Default: plain-text 503 when the
   * store is unavailable (retry later), 500 otherwise.
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
 * the cookie too; changes made while the stream is still being written are not saved.
 */
export function hallpass<D extends SessionData = UntypedSessionData>(
  manager: SessionManager<D>,
  options: HallpassHonoOptions = {},
): MiddlewareHandler<{ Variables: SessionVariables<D> }> {
  const onError = options.onError ?? sessionErrorResponse;
  const report = (error: unknown, phase: 'load' | 'commit', session?: Session<D>) =>
    manager.events.emit('error', {
      time: manager.options.clock(),
      sessionId: session?.id ?? null,
      userId: session?.userId ?? null,
      error,
      phase,
    });

  return async (c, next) => {
    const client: ClientInfo = {
      userAgent: c.req.header('user-agent'),
      ip: options.clientIp?.(c),
    };
    let session: Session<D>;
    try {
      session = await manager.load(c.req.header('cookie'), client);
    } catch (error) {
      report(error, 'load');
      return onError(error, c);
    }
    manager.attach(c.req.raw, session);
    c.set('session', session);

    // Hono turns a throwing handler into an error response before this resumes: the session is
    // still committed, as it would be with Express or Fastify error handlers.
    await next();

    try {
      await session.commit();
    } catch (error) {
      report(error, 'commit', session);
      await c.res.body?.cancel().catch(() => {});
      replaceResponse(c, await onError(error, c));
      return;
    } finally {
      session.seal();
    }
    const response = withSessionHeaders(c.res, session);
    if (response !== c.res) replaceResponse(c, response);
  };
}
