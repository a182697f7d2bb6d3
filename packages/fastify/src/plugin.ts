import {
  type ClientInfo,
  messageFor,
  type Session,
  type SessionData,
  type SessionManager,
  sessionResponseHeaders,
  statusFor,
  type UntypedSessionData,
} from '@hallpass/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { headerLines } from './session-headers.js';

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

function clientInfo(request: FastifyRequest, options: HallpassFastifyOptions): ClientInfo {
  return {
    userAgent: request.headers['user-agent'],
    ip: options.clientIp ? options.clientIp(request) : request.ip,
  };
}

function applySessionHeaders<D extends SessionData>(
  reply: FastifyReply,
  session: Session<D>,
): void {
  const update = sessionResponseHeaders(session, {
    setCookie: headerLines(reply.getHeader('set-cookie')),
    vary: reply.getHeader('vary')?.toString(),
    cacheControl: reply.getHeader('cache-control')?.toString(),
  });
  if (!update) return;
  // reply.header() appends to Set-Cookie instead of replacing it, so start from nothing.
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', update.setCookie);
  reply.header('vary', update.vary);
  reply.header('cache-control', update.cacheControl);
}

/** Turns the reply into a plain-text 503/500 and returns its body. */
function failReply(reply: FastifyReply, error: unknown): string {
  const status = statusFor(error);
  reply.code(status);
  reply.removeHeader('content-length');
  reply.removeHeader('set-cookie');
  reply.header('content-type', 'text/plain; charset=utf-8');
  reply.header('cache-control', 'no-store');
  return messageFor(status);
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
  // Sessions loaded but not yet committed. onSend can run twice for one request (when an
  // error handler replaces the reply); only the first run commits.
  const pending = new WeakMap<FastifyRequest, Session<HallpassSessionData>>();

  const report = (
    error: unknown,
    phase: 'load' | 'commit',
    session?: Session<HallpassSessionData>,
  ) =>
    manager.events.emit('error', {
      time: manager.options.clock(),
      sessionId: session?.id ?? null,
      userId: session?.userId ?? null,
      error,
      phase,
    });

  fastify.decorateRequest('session', null as unknown as Session<HallpassSessionData>);

  fastify.addHook('onRequest', async (request, reply) => {
    let session: HallpassSession<HallpassSessionData>;
    try {
      session = (await manager.load(
        request.headers.cookie,
        clientInfo(request, options),
      )) as Session<HallpassSessionData>;
    } catch (error) {
      report(error, 'load');
      request.log.error({ err: error }, 'hallpass: could not load the session');
      return reply.send(failReply(reply, error));
    }
    request.session = session;
    manager.attach(request.raw, session);
    pending.set(request, session);
  });

  // onSend runs before the status line and headers are written, for streamed payloads too,
  // so the store write finishes and the cookie is set before the client sees anything.
  fastify.addHook('onSend', async (request, reply, payload) => {
    const session = pending.get(request);
    if (!session) return payload;
    pending.delete(request);
    try {
      await session.commit();
    } catch (error) {
      report(error, 'commit', session);
      request.log.error({ err: error }, 'hallpass: could not save the session');
      if (isStream(payload)) payload.destroy();
      return failReply(reply, error);
    } finally {
      session.seal();
    }
    applySessionHeaders(reply, session);
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
