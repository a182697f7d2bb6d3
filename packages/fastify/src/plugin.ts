import type { Session, SessionData, SessionManager } from '@hallpass/core';
import { type ErrorAnswer, headerLines, type RequestSession } from '@hallpass/core/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Augment this interface to type `request.session` (see the README). */
export interface HallpassSessionData extends SessionData {}

declare module 'fastify' {
  interface FastifyRequest {
    /** The hallpass session of this request, loaded before any route handler runs. */
    session: Session<HallpassSessionData>;
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

/** Turns the reply into the plain-text error answer and returns its body. */
function failReply(reply: FastifyReply, answer: ErrorAnswer): string {
  reply.code(answer.status);
  reply.removeHeader('content-length');
  reply.removeHeader('set-cookie');
  reply.header('content-type', answer.headers['content-type']);
  reply.header('cache-control', answer.headers['cache-control']);
  return answer.body;
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
      client: {
        userAgent: request.headers['user-agent'],
        ip: options.clientIp ? options.clientIp(request) : request.ip,
      },
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
      request.log.error({ err: finished.error }, 'hallpass: could not save the session');
      if (isStream(payload)) payload.destroy();
      return failReply(reply, finished.answer);
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
