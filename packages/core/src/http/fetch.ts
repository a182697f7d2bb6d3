import type { SessionManager } from '../manager.js';
import type { ClientInfo, Session, SessionData } from '../session.js';
import { sessionErrorResponse } from './errors.js';
import { sessionResponseHeaders } from './headers.js';

export type FetchHandler<D extends SessionData> = (
  request: Request,
  session: Session<D>,
) => Response | Promise<Response>;

export interface FetchAdapterOptions {
  /** The response when loading or committing fails. Default: 503 when the store is down, else 500. */
  onError?: ((error: unknown, request: Request) => Response | Promise<Response>) | undefined;
  /** The client's IP, if the server exposes it (Fetch requests carry none by themselves). */
  clientIp?: (request: Request) => string | undefined;
}

/**
 * The response with this session's cookie, Vary and Cache-Control headers, for Fetch API
 * integrations. Returns the same response when it needs no change.
 */
export function withSessionHeaders<D extends SessionData>(
  response: Response,
  session: Session<D>,
): Response {
  const update = sessionResponseHeaders(session, {
    setCookie: response.headers.getSetCookie(),
    vary: response.headers.get('vary'),
    cacheControl: response.headers.get('cache-control'),
  });
  if (!update) return response;
  const headers = new Headers(response.headers);
  headers.delete('set-cookie');
  for (const line of update.setCookie) headers.append('set-cookie', line);
  headers.set('vary', update.vary);
  headers.set('cache-control', update.cacheControl);
  // A new Response because handlers may return one with immutable headers (Response.redirect).
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * Wraps a Fetch API handler (Request -> Response), as Hono, Bun, Deno and edge runtimes use:
 * loads the session, runs the handler, commits, and adds the cookie to its response.
 */
export function fetchHandler<D extends SessionData>(
  manager: SessionManager<D>,
  handler: FetchHandler<D>,
  options: FetchAdapterOptions = {},
): (request: Request) => Promise<Response> {
  const onError = options.onError ?? sessionErrorResponse;
  const report = (error: unknown, phase: 'load' | 'commit', session?: Session<D>) =>
    manager.events.emit('error', {
      time: manager.options.clock(),
      sessionId: session?.id ?? null,
      userId: session?.userId ?? null,
      error,
      phase,
    });

  return async (request) => {
    const client: ClientInfo = {
      userAgent: request.headers.get('user-agent') ?? undefined,
      ip: options.clientIp?.(request),
    };
    let session: Session<D>;
    try {
      session = await manager.load(request.headers.get('cookie'), client);
    } catch (error) {
      report(error, 'load');
      return onError(error, request);
    }
    manager.attach(request, session);
    const response = await handler(request, session);
    try {
      await session.commit();
    } catch (error) {
      report(error, 'commit', session);
      await response.body?.cancel();
      return onError(error, request);
    } finally {
      session.seal();
    }
    return withSessionHeaders(response, session);
  };
}
