import type { RequestSession } from '../lifecycle.js';
import type { SessionManager } from '../manager.js';
import type { Session, SessionData } from '../session.js';
import { answerResponse, type ErrorAnswer, sessionErrorResponse } from './errors.js';
import { type SessionHeaderUpdate, sessionResponseHeaders } from './headers.js';
import { LazyClient } from './lazy-client.js';

const userAgentOf = (request: Request) => request.headers.get('user-agent') ?? undefined;
const noAddress = () => undefined;

export type FetchHandler<D extends SessionData> = (
  request: Request,
  session: Session<D>,
) => Response | Promise<Response>;

export interface FetchAdapterOptions {
  /**
   * The response when loading or committing fails, or when the handler throws. Default:
   * plain-text 503 when the store is down or timed out, else 500. If it throws, the default
   * answer is sent.
   */
  onError?: ((error: unknown, request: Request) => Response | Promise<Response>) | undefined;
  /** The client's IP, if the server exposes it (Fetch requests carry none by themselves). */
  clientIp?: (request: Request) => string | undefined;
}

/** `response` with the session headers applied. A new Response: handlers may return immutable ones. */
export function applySessionHeaders(
  response: Response,
  update: SessionHeaderUpdate | undefined,
): Response {
  if (!update) return response;
  const headers = new Headers(response.headers);
  headers.delete('set-cookie');
  for (const line of update.setCookie) headers.append('set-cookie', line);
  headers.set('vary', update.vary);
  headers.set('cache-control', update.cacheControl);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The headers `handle` needs on `response`, read from the response itself. */
export function sessionHeadersFor<D extends SessionData>(
  handle: RequestSession<D>,
  response: Response,
): SessionHeaderUpdate | undefined {
  return handle.headers({
    setCookie: response.headers.getSetCookie(),
    vary: response.headers.get('vary'),
    cacheControl: response.headers.get('cache-control'),
  });
}

/**
 * The response with this session's cookie, Vary and Cache-Control headers. Returns the same
 * response when it needs no change.
 */
export function withSessionHeaders<D extends SessionData>(
  response: Response,
  session: Session<D>,
): Response {
  return applySessionHeaders(
    response,
    sessionResponseHeaders(session, {
      setCookie: response.headers.getSetCookie(),
      vary: response.headers.get('vary'),
      cacheControl: response.headers.get('cache-control'),
    }),
  );
}

/** `onError`'s response, or the default one if there is no onError or it throws. */
export async function errorResponse<A extends unknown[]>(
  onError: ((error: unknown, ...args: A) => Response | Promise<Response>) | undefined,
  error: unknown,
  fail: (error: unknown) => ErrorAnswer,
  ...args: A
): Promise<Response> {
  if (onError) {
    try {
      const response = await onError(error, ...args);
      if (response instanceof Response) return response;
      fail(new TypeError('onError returned no Response'));
    } catch (thrown) {
      fail(thrown);
    }
  }
  return sessionErrorResponse(error);
}

/**
 * Wraps a Fetch API handler (Request -> Response), as Bun, Deno and edge runtimes use: loads
 * the session, runs the handler, commits, and adds the cookie to its response. Never rejects.
 */
export function fetchHandler<D extends SessionData>(
  manager: SessionManager<D>,
  handler: FetchHandler<D>,
  options: FetchAdapterOptions = {},
): (request: Request) => Promise<Response> {
  const { onError } = options;
  return async (request) => {
    const begun = await manager.begin(request, {
      cookieHeader: request.headers.get('cookie'),
      client: new LazyClient(request, userAgentOf, options.clientIp ?? noAddress),
    });
    if (!begun.ok) return errorResponse(onError, begun.error, begun.fail, request);
    let response: Response;
    try {
      response = await handler(request, begun.session);
      if (!(response instanceof Response)) throw new TypeError('the handler returned no Response');
    } catch (error) {
      // Reported as a failed response; its error answer is still a response, and the session
      // is committed with it as it would be behind a framework's error handler.
      begun.fail(error);
      response = await errorResponse(onError, error, begun.fail, request);
    }
    const finished = await begun.finish();
    if (!finished.ok) {
      await response.body?.cancel().catch(() => {});
      return errorResponse(onError, finished.error, begun.fail, request);
    }
    try {
      return applySessionHeaders(response, sessionHeadersFor(begun, response));
    } catch (error) {
      return answerResponse(begun.fail(error));
    }
  };
}
