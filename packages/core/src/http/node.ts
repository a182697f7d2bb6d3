import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import type { RequestSession } from '../lifecycle.js';
import type { SessionManager } from '../manager.js';
import type { ClientInfo, SessionData } from '../session.js';
import { type ErrorAnswer, errorAnswer } from './errors.js';
import { headerLines } from './headers.js';
import { LazyClient } from './lazy-client.js';

export type NextFunction = (error?: unknown) => void;
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface NodeAdapterOptions {
  /**
   * Answers when loading or committing the session fails (and, with handler(), when the
   * handler throws). Default: plain-text 503 for a store that is down or timed out, 500 for
   * anything else. With middleware() and no onError, a load failure goes to `next(error)` for
   * the framework's error handler; the error carries `status` 503 for store outages. If
   * onError throws or answers nothing, the default answer is sent.
   */
  onError?: ((error: unknown, req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** The client's IP for events and device lists. Default: the socket's remote address. */
  clientIp?: (req: IncomingMessage) => string | undefined;
}

const userAgentOf = (req: IncomingMessage) => req.headers['user-agent'];
const socketAddressOf = (req: IncomingMessage) => req.socket?.remoteAddress;

function clientInfo(req: IncomingMessage, options: NodeAdapterOptions): ClientInfo {
  return new LazyClient(req, userAgentOf, options.clientIp ?? socketAddressOf);
}

/** Sends `answer` if nothing was sent yet, else cuts the response: a broken success is worse. */
function sendAnswer(res: ServerResponse, answer: ErrorAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = answer.status;
  res.setHeader('content-type', answer.headers['content-type']);
  res.setHeader('cache-control', answer.headers['cache-control']);
  res.setHeader('content-length', Buffer.byteLength(answer.body));
  res.end(answer.body);
}

/** Runs the app's onError; if it throws or leaves the response open, the default answer goes out. */
function answerWith(
  onError: NodeAdapterOptions['onError'],
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  report: (error: unknown) => void,
): void {
  try {
    if (onError) {
      onError(error, req, res);
      if (res.writableEnded || res.headersSent) return;
    }
  } catch (thrown) {
    report(thrown);
  }
  try {
    sendAnswer(res, errorAnswer(error));
  } catch (thrown) {
    report(thrown);
    res.destroy();
  }
}

type Call = { write: boolean; args: unknown[] };

/**
 * Holds the response's body until the session is committed: the first write() or end()
 * starts the commit and is queued with anything written meanwhile, then replayed. So the
 * store write finishes before the client sees a byte (and the cookie, set when the headers
 * go out, names a stored session), and a failed commit can still answer 503.
 */
function commitBeforeBody<D extends SessionData>(
  handle: RequestSession<D>,
  req: IncomingMessage,
  res: ServerResponse,
  onError: NodeAdapterOptions['onError'],
): void {
  const write = res.write;
  const end = res.end;
  const queue: Call[] = [];
  let failed = false;
  const report = (error: unknown) => void handle.fail(error);

  onHeaders(res, () => {
    if (failed) return;
    const update = handle.headers({
      setCookie: headerLines(res.getHeader('set-cookie')),
      vary: res.getHeader('vary')?.toString(),
      cacheControl: res.getHeader('cache-control')?.toString(),
    });
    if (!update) return;
    // No empty Set-Cookie: later code asking hasHeader('set-cookie') (a caching rule) must
    // not see a cookie on a response that sets none.
    if (update.setCookie.length > 0) res.setHeader('set-cookie', update.setCookie);
    else res.removeHeader('set-cookie');
    res.setHeader('vary', update.vary);
    res.setHeader('cache-control', update.cacheControl);
  });

  const replay = () => {
    res.write = write;
    res.end = end;
    for (const call of queue.splice(0)) {
      try {
        const method = (call.write ? write : end) as (...args: unknown[]) => unknown;
        method.apply(res, call.args);
      } catch (error) {
        // The app's bug (res.end(123), say). Node would throw it into the route; here it comes
        // after the commit, so it is answered like any other failure instead of crashing.
        failed = true;
        const answer = handle.fail(error);
        sendAnswer(res, answer);
        return;
      }
    }
  };

  const start = () => {
    handle.finish().then(
      (result) => {
        if (result.ok) return replay();
        failed = true;
        queue.length = 0;
        res.write = write;
        res.end = end;
        if (res.headersSent) return res.destroy();
        answerWith(onError, result.error, req, res, report);
      },
      (error: unknown) => {
        // finish() never rejects; kept so that a bug cannot become an unhandled rejection.
        report(error);
        res.destroy();
      },
    );
  };

  const hold = (isWrite: boolean) =>
    function held(this: ServerResponse, ...args: unknown[]) {
      queue.push({ write: isWrite, args });
      if (queue.length === 1) start();
      return isWrite ? true : this;
    };
  res.write = hold(true) as ServerResponse['write'];
  res.end = hold(false) as ServerResponse['end'];
}

/** Connect/Express-style middleware: loads the session, then commits it before the body goes out. */
export function nodeMiddleware<D extends SessionData>(
  manager: SessionManager<D>,
  options: NodeAdapterOptions = {},
): NodeMiddleware {
  return (req, res, next) => {
    manager
      .begin(req, { cookieHeader: req.headers.cookie, client: clientInfo(req, options) })
      .then((begun) => {
        if (!begun.ok) {
          if (options.onError) {
            return answerWith(options.onError, begun.error, req, res, (e) => begun.fail(e));
          }
          return next(begun.error);
        }
        commitBeforeBody(begun, req, res, options.onError);
        next();
      })
      .catch((error: unknown) => {
        // next() itself threw (a synchronous framework): answer rather than crash.
        answerWith(undefined, error, req, res, () => {});
      });
  };
}

/** Wraps a plain `node:http` handler: `http.createServer(manager.handler(handler))`. */
export function nodeHandler<D extends SessionData>(
  manager: SessionManager<D>,
  handler: NodeHandler,
  options: NodeAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const onError = options.onError;
  return (req, res) => {
    manager
      .begin(req, { cookieHeader: req.headers.cookie, client: clientInfo(req, options) })
      .then(async (begun) => {
        if (!begun.ok) return answerWith(onError, begun.error, req, res, (e) => begun.fail(e));
        commitBeforeBody(begun, req, res, onError);
        try {
          await handler(req, res);
        } catch (error) {
          // The handler's own error: reported, and its answer is still a response, committed
          // like any other.
          begun.fail(error);
          answerWith(onError, error, req, res, (thrown) => void begun.fail(thrown));
        }
      })
      .catch(() => res.destroy());
  };
}
