import flash from 'connect-flash';
import express, { type Express, type RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

const USERS = new Map([
  ['alice', { id: 'u-alice', name: 'Alice', password: 'wonderland' }],
  ['bob', { id: 'u-bob', name: 'Bob', password: 'builder' }],
]);

/**
 * The app an express-session user already has: passport with a username/password form,
 * connect-flash for the failure message, a visit counter and a protected page. The same
 * routes are mounted behind express-session (before the switch) and behind hallpass's
 * `expressSession` (after it): only the session middleware differs.
 */
export function authApp(sessionMiddleware: RequestHandler): Express {
  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS.get(username);
      if (!user || user.password !== password)
        return done(null, false, { message: 'Wrong username or password' });
      return done(null, user);
    }),
  );
  passport.serializeUser<string>((user, done) => done(null, (user as { id: string }).id));
  passport.deserializeUser<string>((id, done) => {
    const user = [...USERS.values()].find((candidate) => candidate.id === id);
    done(null, user ?? false);
  });

  const app = express();
  app.set('trust proxy', false);
  app.use(express.urlencoded({ extended: false }));
  app.use(sessionMiddleware);
  app.use(flash());
  app.use(passport.session());

  app.post(
    '/login',
    passport.authenticate('local', {
      successRedirect: '/me',
      failureRedirect: '/login',
      failureFlash: true,
    }),
  );
  app.get('/login', (req, res) => {
    res.json({ errors: req.flash('error') });
  });
  app.get('/me', (req, res) => {
    if (!req.user) return void res.status(401).json({ user: null });
    res.json({ user: (req.user as { name: string }).name, sessionID: req.sessionID });
  });
  app.get('/count', (req, res) => {
    const session = req.session as unknown as { count?: number };
    session.count = (session.count ?? 0) + 1;
    res.json({ count: session.count });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.redirect(303, '/me')));
  });
  return app;
}
