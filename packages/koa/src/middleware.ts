import type { Session, SessionData, SessionManager, UntypedSessionData } from '@hallpass/core';
import { headerLines, LazyClient, type SessionHeaderUpdate } from '@hallpass/core/http';
import type { Context, Middleware } from 'koa';

/** The state this middleware sets: `new Koa<HallpassState<MyData>>()`, then `ctx.state.session`. */
export type HallpassState<D extends SessionData = UntypedSessionData> = { session: Session<D> };

export interface HallpassKoaOptions {
  /** The client's IP, recorded on new sessions. Default: `ctx.ip` (honours `app.proxy`). */
  clientIp?: (ctx: Context) => string | undefined;
}

function isStream(body: unknown): body is { destroy(): void; pipe: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { pipe?: unknown }).pipe === 'function' &&
    typeof (body as { destroy?: unknown }).destroy === 'function'
  );
}

/** The header fields of `update`, as Koa's `ctx.set` and `err.headers` take them. */
function headerFields(update: SessionHeaderUpdate): Record<string, string | string[]> {
  return {
    'Set-Cookie': update.setCookie,
    Vary: update.vary,
    'Cache-Control': update.cacheControl,
  };
}

/**
 * Koa middleware: loads the session before the downstream middleware runs
 * (`ctx.state.session`), commits it once they are done and sets the cookie. The commit
 * finishes before Koa writes the response, so a streamed body carries the cookie too; changes
 * made while the stream is still being written cannot be saved.
 *
 * Failures are thrown into Koa's own error handling: a store outage on load or commit carries
 * `status` 503 and `Cache-Control: no-store` (Koa's default handler answers "Service
 * Unavailable"); an error thrown downstream is rethrown after the commit, carrying the session
 * headers, since Koa's handler replaces the response's headers with the error's.
 */
export function hallpass<D extends SessionData = UntypedSessionData>(
  manager: SessionManager<D>,
  options: HallpassKoaOptions = {},
): Middleware<HallpassState<D>> {
  return async (ctx, next) => {
    const begun = await manager.begin(ctx.req, {
      cookieHeader: ctx.get('cookie') || undefined,
      client: new LazyClient(ctx, userAgentOf, options.clientIp ?? ipOf),
    });
    if (!begun.ok) throw begun.error;
    ctx.state.session = begun.session;

    let failure: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      failure = { error };
    }

    const finished = await begun.finish();
    if (!finished.ok) {
      if (isStream(ctx.body)) ctx.body.destroy();
      throw finished.error;
    }
    const update = begun.headers({
      setCookie: headerLines(ctx.response.get('set-cookie') || undefined),
      vary: ctx.response.get('vary') || undefined,
      cacheControl: ctx.response.get('cache-control') || undefined,
    });
    if (failure) {
      const { error } = failure;
      if (update && typeof error === 'object' && error !== null && Object.isExtensible(error)) {
        const carrier = error as { headers?: Record<string, unknown> };
        carrier.headers = { ...carrier.headers, ...headerFields(update) };
      }
      throw error;
    }
    if (update) ctx.set(headerFields(update));
  };
}

// Read only when a session records its client or an event reports it (LazyClient).
const userAgentOf = (ctx: Context) => ctx.get('user-agent') || undefined;
const ipOf = (ctx: Context) => ctx.ip;
