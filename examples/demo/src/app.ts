import {
  type Session,
  type SessionData,
  SessionManager,
  StoreUnavailableError,
  toMilliseconds,
} from '@hallpass/core';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { DemoConfig } from './config.ts';
import type { Html } from './html.ts';
import { type NoticeCode, noticeFor, withNotice } from './notices.ts';
import { sameOriginPosts } from './same-origin.ts';
import type { OpenedStore } from './stores.ts';
import { authenticate, DEMO_PASSWORD_HINT, findUser, listUsers } from './users.ts';
import { errorPage } from './views/error.ts';
import { homePage } from './views/home.ts';
import { type Flash, layout } from './views/layout.ts';
import { sessionsPage } from './views/sessions.ts';
import { signInPage } from './views/signin.ts';
import { STYLESHEET } from './views/style.ts';

export type DemoData = SessionData & { visits: number; flash: Flash };

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function statusFor(error: unknown): number {
  return error instanceof StoreUnavailableError ? 503 : 500;
}

/** The demo's Express application over an opened store. */
export function createDemoApp(
  config: DemoConfig,
  opened: OpenedStore,
): { app: Express; manager: SessionManager<DemoData> } {
  const manager = new SessionManager<DemoData>({
    store: opened.store,
    lifetime: config.lifetime,
    idleTimeout: config.idleTimeout,
    // Every request extends the idle deadline, so the one the pages show is exact.
    touchAfter: 0,
    cookie: config.secureCookie
      ? { name: '__Host-hallpass', secure: true, sameSite: 'lax' }
      : { name: 'hallpass', secure: false, sameSite: 'lax' },
  });
  const lifetimeMs = toMilliseconds(config.lifetime, 'lifetime');
  const idleMs = toMilliseconds(config.idleTimeout, 'idleTimeout');

  const sessionOf = (req: Request): Session<DemoData> => manager.session(req);
  const userOf = (req: Request) => findUser(sessionOf(req).userId ?? undefined);

  function page(req: Request, res: Response, title: string, content: Html): void {
    const session = sessionOf(req);
    const notice: Flash | undefined = res.locals.notice ?? noticeFor(req.query.notice);
    const exists = !session.isNew || session.status === 'modified';
    const now = Date.now();
    res.type('html').send(
      layout(
        {
          title,
          path: req.path,
          userName: userOf(req)?.name,
          flash: session.pop('flash') ?? notice,
          deadlines: exists
            ? {
                absolute: session.deadline,
                idle: idleMs > 0 ? Math.min(session.deadline, now + idleMs) : null,
                lifetimeMs,
                idleMs,
              }
            : undefined,
          storeLabel: opened.label,
        },
        content,
      ).value,
    );
  }

  function flash(req: Request, kind: Flash['kind'], text: string): void {
    sessionOf(req).put('flash', { kind, text });
  }

  /**
   * Redirects with a message. A visitor with a stored session gets it as a flash; one without
   * gets it in the query string, so telling a drive-by visitor something writes no row.
   */
  function redirectWith(req: Request, res: Response, path: string, code: NoticeCode): void {
    const session = sessionOf(req);
    const notice = noticeFor(code) as Flash;
    if (session.isNew || session.status === 'destroyed') {
      res.redirect(303, withNotice(path, code));
      return;
    }
    flash(req, notice.kind, notice.text);
    res.redirect(303, path);
  }

  const cookiePattern = new RegExp(`(?:^|;\\s*)${manager.options.cookie.name}=`);
  const presentsCookie = (req: Request) => cookiePattern.test(req.headers.cookie ?? '');

  function requireUser(req: Request, res: Response, next: NextFunction): void {
    if (userOf(req)) {
      next();
      return;
    }
    // Keep the more specific notice ("your session has ended") if this request found one.
    res.redirect(303, withNotice('/signin', res.locals.notice ? 'ended' : 'sign-in-first'));
  }

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.get('/style.css', (_req, res) => {
    res.type('css').set('cache-control', 'public, max-age=300').send(STYLESHEET);
  });
  app.use(
    manager.middleware({
      onError: (error, _req, res) => {
        if (res.headersSent) return;
        const status = statusFor(error);
        res.statusCode = status;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('cache-control', 'no-store');
        res.end(errorPage(status).value);
      },
    }),
  );
  app.use((req, res, next) => {
    // Pages show personal data and deadlines: never serve them from a cache.
    res.set('cache-control', 'no-store');
    // A cookie that loaded no session names one that was revoked, signed out or expired (or
    // was never issued): say so on this response only, without creating a session for it.
    const session = sessionOf(req);
    if (session.isNew && session.status === 'unmodified' && presentsCookie(req)) {
      res.locals.notice = noticeFor('ended');
    }
    next();
  });
  app.use(sameOriginPosts);
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));

  app.get('/', (req, res) => {
    const session = sessionOf(req);
    const visits = (session.get('visits') ?? 0) + 1;
    // Counting is not worth a row of its own: only a session that exists for another reason
    // (here, signing in) counts its page loads.
    if (!session.isNew) session.put('visits', visits);
    page(req, res, 'Home', homePage(visits, userOf(req)?.name));
  });

  app.get('/signin', (req, res) => {
    if (userOf(req)) return res.redirect(303, '/');
    page(req, res, 'Sign in', signInPage(listUsers(), DEMO_PASSWORD_HINT));
  });

  app.post('/signin', async (req, res) => {
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const user = await authenticate(username, password);
    if (!user) return redirectWith(req, res, '/signin', 'bad-credentials');
    // signIn issues a new token (session fixation defence) and files the session under the user.
    await sessionOf(req).signIn(user.id);
    flash(req, 'info', `Signed in as ${user.name}.`);
    res.redirect(303, '/');
  });

  app.post('/signout', async (req, res) => {
    await sessionOf(req).destroy();
    redirectWith(req, res, '/', 'signed-out');
  });

  app.get('/sessions', requireUser, async (req, res) => {
    const session = sessionOf(req);
    const now = Date.now();
    const userId = session.userId as string;
    const devices = (await manager.listUserSessions(userId, { current: req })).map(
      // This request touches the current session when it commits: show it as it will be.
      (device) =>
        device.current
          ? {
              ...device,
              lastSeenAt: now,
              expiresAt: idleMs > 0 ? Math.min(session.deadline, now + idleMs) : device.expiresAt,
            }
          : device,
    );
    page(req, res, 'Your sessions', sessionsPage(devices));
  });

  app.post('/sessions/revoke', requireUser, async (req, res) => {
    const session = sessionOf(req);
    const id = typeof req.body?.id === 'string' ? req.body.id : '';
    if (id === session.id) {
      await session.destroy();
      return redirectWith(req, res, '/', 'signed-out');
    }
    // Ids of other users' sessions are refused, so the id can come straight from the form.
    const revoked = await manager.revokeSession(session.userId as string, id, { reason: 'user' });
    flash(
      req,
      revoked ? 'info' : 'error',
      revoked ? 'That session was revoked.' : 'That session had already ended.',
    );
    res.redirect(303, '/sessions');
  });

  app.post('/sessions/revoke-others', requireUser, async (req, res) => {
    const session = sessionOf(req);
    const count = await manager.revokeUser(session.userId as string, {
      except: req,
      reason: 'user',
    });
    flash(req, 'info', `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}.`);
    res.redirect(303, '/sessions');
  });

  app.use((_req, res) => {
    res.status(404).type('text').send('Not found');
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = statusFor(error);
    if (status === 500) console.error('hallpass demo:', error);
    if (res.headersSent) return;
    res.status(status).type('html').send(errorPage(status).value);
  });

  return { app, manager };
}
