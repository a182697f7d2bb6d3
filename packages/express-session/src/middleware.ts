import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  messageFor,
  type NodeAdapterOptions,
  type NodeMiddleware,
  type SessionData,
  type SessionManager,
  statusFor,
} from '@hallpass/core';
import { expressClientIp } from './client-ip.js';
import { type LegacyImportOptions, legacyImporter } from './legacy/import.js';
import { passportUser, type UserFromSession } from './passport-user.js';
import { RequestState } from './request-state.js';
import { type ExpressSession, installSessionProxy } from './session-proxy.js';

export interface ExpressSessionOptions {
  /**
   * Which user the session's values belong to, for hallpass's per-user index (device lists,
   * `revokeUser`, `maxSessionsPerUser`). Default: passport's `passport.user` (see `passportUser`).
   */
  userFromSession?: UserFromSession;
  /** Import sessions that express-session stored, on each browser's first request. */
  legacy?: LegacyImportOptions;
  /**
   * The client's IP, recorded on sessions. Default: `req.ip`, which follows Express's
   * `trust proxy` setting (the socket's address outside Express).
   */
  clientIp?: NodeAdapterOptions['clientIp'];
  /** As core's middleware option: answers when loading or committing fails. */
  onError?: NodeAdapterOptions['onError'];
}

export type SessionRequest = IncomingMessage & {
  session?: ExpressSession;
  readonly sessionID?: string;
};

/**
 * `app.use(expressSession(manager))` in place of `app.use(session({...}))`. It runs hallpass's
 * own middleware (`manager.middleware()`, so `manager.session(req)` works too) and then puts
 * an express-session-shaped `req.session` and `req.sessionID` on the request. Install it once,
 * instead of `manager.middleware()`, not after it.
 */
export function expressSession<D extends SessionData>(
  manager: SessionManager<D>,
  options: ExpressSessionOptions = {},
): NodeMiddleware {
  const base = manager as unknown as SessionManager<SessionData>;
  const load = base.middleware({
    clientIp: options.clientIp ?? expressClientIp,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const userFromSession = options.userFromSession ?? passportUser;
  const importLegacy = options.legacy ? legacyImporter(options.legacy) : undefined;

  return (req, res, next) => {
    load(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      const session = base.session(req);
      const imported =
        importLegacy && session.isNew ? importLegacy(req, res, session) : Promise.resolve();
      imported.then(() => {
        const state = new RequestState(base, session, userFromSession);
        const report = (failure: unknown, phase: 'commit' | 'destroy' | 'renew') =>
          base.events.emit('error', {
            time: base.options.clock(),
            sessionId: session.id,
            userId: session.userId,
            error: failure,
            phase,
          });
        installSessionProxy(req, state, report);
        Object.defineProperty(req, 'sessionID', {
          configurable: true,
          enumerable: true,
          get: () => session.id ?? undefined,
        });
        syncBeforeCommit(res, state, report);
        next();
      }, next);
    });
  };
}

/**
 * Core's middleware commits in `res.end`; this wraps it once more so that what the app did
 * through `req.session` (in-place changes, a new passport user) reaches the Session first.
 */
function syncBeforeCommit(
  res: ServerResponse,
  state: RequestState,
  report: (error: unknown, phase: 'commit') => void,
): void {
  const end = res.end as (...args: unknown[]) => ServerResponse;
  let ending = false;
  res.end = function endAfterSync(this: ServerResponse, ...args: unknown[]) {
    if (ending) return this;
    ending = true;
    state.sync().then(
      () => end.apply(this, args),
      (error: unknown) => {
        report(error, 'commit');
        // The user could not be given a fresh token: store nothing that would sign them in
        // on the old one. They sign in again once the store answers.
        state.session.clear();
        state.session.setUser(null);
        if (this.headersSent) return end.apply(this, args);
        const status = statusFor(error);
        this.statusCode = status;
        this.removeHeader('content-length');
        this.setHeader('content-type', 'text/plain; charset=utf-8');
        this.setHeader('cache-control', 'no-store');
        end.call(this, messageFor(status));
      },
    );
    return this;
  } as ServerResponse['end'];
}
