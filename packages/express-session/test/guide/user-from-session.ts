import type { SessionManager } from '@hallpass/core';
import { expressSession } from '@hallpass/express-session';

// Without passport: tell hallpass which value names the user (here req.session.userId).
export const sessionMiddleware = (sessions: SessionManager) =>
  expressSession(sessions, {
    userFromSession: (values) => (typeof values.userId === 'string' ? values.userId : null),
  });
