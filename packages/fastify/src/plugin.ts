import type { Session, SessionData, SessionManager, UntypedSessionData } from '@hallpass/core';
import { headerLines, LazyClient, type RequestSession } from '@hallpass/core/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * core's Session under a name of our own: inside `declare module 'fastify'` below, a bare
 * `Session` would name fastify's own `Session` interface whenever another plugin declares one
 * (@fastify/session does), failing with TS2315. (An import alias is not enough: the declaration
 * bundler writes the import back under its original name.)
 */
type HallpassSession<D extends SessionData = HallpassSessionData> = Session<D>;

/** Augment this interface to type `request.session` (see the README). */
export interface HallpassSessionData extends UntypedSessionData {}

declare module 'fastify' {
  interface FastifyRequest {
    /** The hallpass session of this request, loaded before any route handler runs. */
    session: HallpassSession<HallpassSessionData>;
  }
}

export interface HallpassFastifyOptions {
  /**
   * The manager that loads and commits sessions: its store, lifetimes and cookie settings.
   * Any data type is accepted; `request.session` is typed by HallpassSessionData.
   */
  // biome-ignore lint/suspicious/noExplicitAny: SessionManager is invariant in its data type
  manager: SessionManager<any>;
  /** The client's IP, recorded on new sessions. Default: `request.ip` (honours `trustProxy`). */
  clientIp?: (request: FastifyRequest) => string | undefined;
}

function isStream(payload: unknown): payload is { destroy(): void } {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { pipe?: unknown }).pipe === 'function' &&
    typeof (payload as { destroy?: unknown }).destroy === 'function'
  );
}

async function hallpassPlugin(
  fastify: FastifyInstance,
  options: HallpassFastifyOptions,
): Promise<void> {
  const { manager } = options;
  // Requests whose session is loaded but not yet committed. onSend can run twice for one
  // request (when an error handler replaces the reply); only the first run commits.
  const pending = new WeakMap<FastifyRequest, RequestSession<HallpassSessionData>>();

  fastify.decorateRequest('session', null as unknown as Session<HallpassSessionData>);

  fastify.addHook('onRequest', async (request, reply) => {
    const begun = await manager.begin(request.raw, {
      cookieHeader: request.headers.cookie,
      client: new LazyClient(request, userAgentOf, options.clientIp ?? ipOf),
    });
    if (!begun.ok) {
      // To Fastify's error handler: the error's statusCode is 503 for a store outage, and
      // the answer must not be cached.
      reply.header('cache-control', 'no-store');
      throw begun.error;
    }
    request.session = begun.session;
    pending.set(request, begun);
  });

  // onSend runs before the status line and headers are written, for streamed payloads too,
  // so the store write finishes and the cookie is set before the client sees anything.
  fastify.addHook('onSend', async (request, reply, payload) => {
    const handle = pending.get(request);
    if (!handle) return payload;
    pending.delete(request);
    const finished = await handle.finish();
    if (!finished.ok) {
      if (isStream(payload)) payload.destroy();
      // To Fastify's error handler, as a load failure is: the error's statusCode is 503 for a
      // store outage, and the answer must not be cached. Its reply passes through this hook
      // again, with nothing left to commit.
      reply.header('cache-control', 'no-store');
      throw finished.error;
    }
    const update = handle.headers({
      setCookie: headerLines(reply.getHeader('set-cookie')),
      vary: reply.getHeader('vary')?.toString(),
      cacheControl: reply.getHeader('cache-control')?.toString(),
    });
    if (update) {
      // reply.header() appends to Set-Cookie instead of replacing it, so start from nothing.
      reply.removeHeader('set-cookie');
      reply.header('set-cookie', update.setCookie);
      reply.header('vary', update.vary);
      reply.header('cache-control', update.cacheControl);
    }
    return payload;
  });
}

/**
 * The Fastify plugin: `app.register(hallpass, { manager })`. Wrapped with fastify-plugin so
 * its hooks and the `request.session` decorator apply to the whole application, not only to
 * routes registered inside it.
 */
export const hallpass = fp(hallpassPlugin, {
  fastify: '5.x',
  name: '@hallpass/fastify',
});

// Read only when a session records its client or an event reports it (LazyClient).
const userAgentOf = (request: FastifyRequest) => request.headers['user-agent'];
const ipOf = (request: FastifyRequest) => request.ip;
