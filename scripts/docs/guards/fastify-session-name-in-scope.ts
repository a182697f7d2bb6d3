// Guard: @hallpass/fastify's augmentation of the 'fastify' module must not pick up another
// `Session` declared in that module. @fastify/session declares `interface Session` there, and
// before the augmentation aliased its imports, any program that loaded both failed with TS2315
// "Type 'Session' is not generic" inside @hallpass/fastify's declarations. (The two plugins
// cannot serve one app: both own `request.session`. This declares only the clashing name.)
import { SessionManager } from '@hallpass/core';
import { hallpass } from '@hallpass/fastify';
import { MemoryStore } from '@hallpass/memory';
import Fastify from 'fastify';

declare module 'fastify' {
  interface Session {
    cookie?: { maxAge?: number };
  }
}

const app = Fastify();
await app.register(hallpass, { manager: new SessionManager({ store: new MemoryStore() }) });
app.get('/', async (request) => ({ id: request.session.id }));

export { app };
