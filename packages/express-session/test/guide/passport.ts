import { SessionManager, type Store } from '@hallpass/core';
import { expressSession } from '@hallpass/express-session';
import express from 'express';
import type { PassportStatic } from 'passport';

export function createApp(store: Store, passport: PassportStatic) {
  const sessions = new SessionManager({ store, cookie: { name: 'sid' } });

  const app: express.Express = express();
  app.use(express.urlencoded({ extended: false }));
  // Unchanged passport wiring: req.login regenerates the session (a new token), and the id
  // your serializeUser returns becomes the hallpass user of the session.
  app.use(expressSession(sessions));
  app.use(passport.session());

  app.post('/login', passport.authenticate('local', { successRedirect: '/' }));
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.redirect('/')));
  });

  // What express-session could not do: list and end a user's sessions.
  app.get('/devices', async (req, res) => {
    const user = req.user as { id: string };
    res.json(await sessions.listUserSessions(user.id, { current: req }));
  });
  app.post('/logout-everywhere-else', async (req, res) => {
    const user = req.user as { id: string };
    await sessions.revokeUser(user.id, { except: req });
    res.redirect('/devices');
  });

  return { app, sessions };
}
