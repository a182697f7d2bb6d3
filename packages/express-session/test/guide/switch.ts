import { SessionManager, type Store } from '@hallpass/core';
import { expressSession } from '@hallpass/express-session';
import express from 'express';

// Your existing typings keep working: req.session has express-session's shape.
declare module 'express-session' {
  interface SessionData {
    views: number;
  }
}

export function createApp(store: Store) {
  const sessions = new SessionManager({
    store, // was: store: new RedisStore({ client }), from connect-redis
    lifetime: '7d', // was: cookie: { maxAge: 7 * 24 * 3600 * 1000 }
    idleTimeout: '2h', // was: rolling: true (with a shorter maxAge)
    cookie: { name: 'sid' }, // was: name: 'connect.sid'; no secret: the token is random
  });

  const app: express.Express = express();
  app.set('trust proxy', 1); // honoured: sessions record req.ip
  app.use(expressSession(sessions)); // was: app.use(session({ secret, store, ... }))

  app.get('/', (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1;
    res.send(`views: ${req.session.views}`);
  });

  return { app, sessions };
}
