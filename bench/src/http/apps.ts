import { createServer, type RequestListener } from 'node:http';
import { SessionManager, type Store } from '@hallpass/core';
import express, { type Response } from 'express';
import session, { type Store as ExpressSessionStore } from 'express-session';
import { CEILING_BODY, handle, type Reply, type SessionAccess } from './handlers.ts';
import type { Scenario } from './scenarios.ts';

/**
 * The servers under test. Both session libraries run inside the same Express 5 app with the
 * same route, the same handler (handlers.ts) and equivalent settings: 24 h lifetime, the
 * same cookie name and attributes, writes only when the session changed.
 */
export const COOKIE_NAME = 'sid';
export const LIFETIME_MS = 24 * 60 * 60 * 1000;
export const SECRET = 'hallpass-bench-secret-not-for-production';

function send(res: Response, reply: Reply): void {
  res.status(reply.status).type('application/json').send(reply.body);
}

export function hallpassApp(
  store: Store,
  scenario: Scenario,
  clock?: () => number,
): RequestListener {
  const manager = new SessionManager({
    store,
    lifetime: LIFETIME_MS,
    ...(clock ? { clock } : {}),
    // touchAfter stays at its default (a tenth of the idle timeout): what users get.
    idleTimeout: scenario.idleTimeoutMs,
    // Plain-http benchmark: the cookie must not be Secure, as for express-session below.
    cookie: { name: COOKIE_NAME, secure: false },
  });
  const app = express();
  app.use(manager.middleware());
  app.get('/', (req, res, next) => {
    const s = manager.session(req);
    const access: SessionAccess = {
      get: (key) => s.get(key),
      set: (key, value) => s.put(key, value),
      signIn: (userId) => s.signIn(userId),
    };
    handle(scenario.id, access).then((reply) => send(res, reply), next);
  });
  return app;
}

export function expressSessionApp(store: ExpressSessionStore, scenario: Scenario): RequestListener {
  const idle = scenario.idleTimeoutMs > 0;
  const app = express();
  app.use(
    session({
      store,
      secret: SECRET,
      name: COOKIE_NAME,
      resave: false,
      saveUninitialized: false,
      // express-session's idle timeout: the cookie (and store TTL) restart on every response.
      rolling: idle,
      cookie: {
        maxAge: idle ? scenario.idleTimeoutMs : LIFETIME_MS,
        secure: false,
        httpOnly: true,
        sameSite: 'lax',
      },
    }),
  );
  app.get('/', (req, res, next) => {
    const values = () => req.session as unknown as Record<string, unknown>;
    const access: SessionAccess = {
      get: (key) => values()[key],
      set: (key, value) => {
        values()[key] = value;
      },
      // express-session's documented sign-in: regenerate, then record the user.
      signIn: (userId) =>
        new Promise<void>((resolve, reject) => {
          req.session.regenerate((error: unknown) => {
            if (error) return reject(error);
            values().userId = userId;
            resolve();
          });
        }),
    };
    handle(scenario.id, access).then((reply) => send(res, reply), next);
  });
  return app;
}

/** Ceiling: Express 5 with the same route and body, no session middleware. */
export function expressCeiling(): RequestListener {
  const app = express();
  app.get('/', (_req, res) => send(res, { status: 200, body: CEILING_BODY }));
  return app;
}

/** Ceiling: bare node:http answering the same body. */
export function nodeCeiling(): RequestListener {
  const length = String(Buffer.byteLength(CEILING_BODY));
  return (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': length,
    });
    res.end(CEILING_BODY);
  };
}

export { createServer };
