import { SessionManager, type Store } from '@hallpass/core';
import { hallpass } from '@hallpass/fastify';
import Fastify from 'fastify';

declare module '@hallpass/fastify' {
  interface HallpassSessionData {
    views: number;
  }
}

export async function createApp(store: Store) {
  const sessions = new SessionManager({ store, cookie: { name: 'sid' } });

  const app = Fastify();
  // was: app.register(fastifyCookie); app.register(fastifySession, { secret, store })
  await app.register(hallpass, { manager: sessions });

  app.get('/', async (request) => {
    // was: request.session.get('views') / request.session.set('views', ...)
    const views = (request.session.get('views') ?? 0) + 1;
    request.session.put('views', views);
    return { views };
  });
  // was: await request.session.regenerate(); now one call that also records the user
  app.post('/login', async (request) => {
    await request.session.signIn('user-42');
    return { ok: true };
  });

  return app;
}
