import { SessionManager, type Store } from '@hallpass/core';
import {
  connectRedisReader,
  expressSession,
  type LegacyRedisClient,
} from '@hallpass/express-session';
import express from 'express';

export function createApp(store: Store, oldRedis: LegacyRedisClient, secrets: string[]) {
  const sessions = new SessionManager({ store, cookie: { name: 'sid' } });

  const app: express.Express = express();
  app.use(
    expressSession(sessions, {
      legacy: {
        // Where express-session kept its sessions: connect-redis's default layout here.
        reader: connectRedisReader({ client: oldRedis, prefix: 'sess:' }),
        // express-session's secret; with a rotated secret, the whole list, newest first.
        secrets,
        cookie: { name: 'connect.sid' },
        // Keep the old entries while you may still roll back (the default deletes them).
        deleteAfterImport: false,
      },
    }),
  );
  return { app, sessions };
}
