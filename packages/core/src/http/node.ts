import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import type { SessionManager } from '../manager.js';
import type { ClientInfo, Session, SessionData } from '../session.js';
import { messageFor, statusFor } from './errors.js';
import { sessionResponseHeaders } from './headers.js';

export type NextFunction = (error?: unknown) => void;
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface NodeAdapterOptions {
  /**
   * Answers when loading or committing the session fails. Default: 503 for
   * StoreUnavailableError (the store is down: retry later), 500 for anything else.
   * With middleware(), a load failure goes to `next(error)` instead, for Express's error handler.
   */
  onError?: ((error: unknown, req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** The client's IP for events and device lists. Default: the socket's remote address. */
  clientIp?: (req: IncomingMessage) => string | undefined;
}

function defaultOnError(error: unknown, _req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  const status = statusFor(error);
  const body = messageFor(status);
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}

function clientInfo(req: IncomingMessage, options: NodeAdapterOptions): ClientInfo {
  return {
    userAgent: req.headers['user-agent'],
    ip: options.clientIp ? options.clientIp(req) : req.socket?.remoteAddress,
  };
}

function applySessionHeaders(res: ServerResponse, session: Session<SessionData>): void {
  const existing = res.getHeader('set-cookie');
  const update = sessionResponseHeaders(session, {
    setCookie:
      existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)],
    vary: res.getHeader('vary')?.toString(),
    cacheControl: res.getHeader('cache-control')?.toString(),
  });
  if (!update) return;
  res.setHeader('set-cookie', update.setCookie);
  res.setHeader('vary', update.vary);
  res.setHeader('cache-control', update.cacheControl);
}

/**
 * Commits the session before the response ends. `end` is held until the store write is
 * done, so the next request of the same client sees it; headers (and the cookie) go out
 * when the app first writes, so streamed responses work too.
 */
function commitBeforeEnd<D extends SessionData>(
  manager: SessionManager<D>,
  session: Session<D>,
  req: IncomingMessage,
  res: ServerResponse,
  onError: NonNullable<NodeAdapterOptions['onError']>,
): void {
  const end = res.end as (...args: unknown[]) => ServerResponse;
  let ending = false;
  let failed = false;
  onHeaders(res, () => {
    if (!failed) applySessionHeaders(res, session as Session<SessionData>);
  });
  res.end = function endAfterCommit(this: ServerResponse, ...args: unknown[]) {
    if (ending) return this;
    ending = true;
    session.commit().then(
      () => {
        session.seal();
        end.apply(this, args);
      },
      (error: unknown) => {
        session.seal();
        manager.events.emit('error', {
          time: manager.options.clock(),
          sessionId: session.id,
          userId: session.userId,
          error,
          phase: 'commit',
        });
        if (this.headersSent) {
          end.apply(this, args);
          return;
        }
        failed = true;
        res.end = end as ServerResponse['end'];
        this.removeHeader('content-length');
        onError(error, req, this);
        if (!this.writableEnded) end.call(this);
      },
    );
    return this;
  } as ServerResponse['end'];
}

/** Connect/Express-style middleware: loads the session, then commits it before the response ends. */
export function nodeMiddleware<D extends SessionData>(
  manager: SessionManager<D>,
  options: NodeAdapterOptions = {},
): NodeMiddleware {
  const onError = options.onError ?? defaultOnError;
  return (req, res, next) => {
    manager.load(req.headers.cookie, clientInfo(req, options)).then(
      (session) => {
        manager.attach(req, session);
        commitBeforeEnd(manager, session, req, res, onError);
        next();
      },
      (error: unknown) => {
        manager.events.emit('error', {
          time: manager.options.clock(),
          sessionId: null,
          userId: null,
          error,
          phase: 'load',
        });
        if (options.onError) options.onError(error, req, res);
        else next(error);
      },
    );
  };
}

/** Wraps a plain `node:http` handler: `http.createServer(manager.handler(handler))`. */
export function nodeHandler<D extends SessionData>(
  manager: SessionManager<D>,
  handler: NodeHandler,
  options: NodeAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const onError = options.onError ?? defaultOnError;
  const middleware = nodeMiddleware(manager, { ...options, onError });
  return (req, res) => {
    middleware(req, res, () => {
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((error: unknown) => onError(error, req, res));
    });
  };
}
