import type { RejectReason } from '../events.js';

interface Timeouts {
  idleTimeoutMs: number;
  touchAfterMs: number;
}

/**
 * The one statement of when a session ends: at its absolute deadline, or earlier once it has
 * been idle for idleTimeout since `lastSeenAt`.
 */
export function expiresAt(options: Timeouts, deadline: number, lastSeenAt: number): number {
  const idle = options.idleTimeoutMs;
  return idle > 0 ? Math.min(deadline, lastSeenAt + idle) : deadline;
}

/**
 * How far ahead of this server's clock a stored `lastSeenAt` may be (servers' clocks differ a
 * little). Beyond it the idle time cannot be measured: a lastSeenAt an hour ahead would keep an
 * idle session alive for that hour, so the session is ended instead (fail closed).
 */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** Why a session seen last at `lastSeenAt` has ended by `now`, or null while it lives. */
export function endedBecause(
  options: Timeouts,
  deadline: number,
  lastSeenAt: number,
  now: number,
): Extract<RejectReason, 'absolute-timeout' | 'idle-timeout'> | null {
  if (deadline <= now) return 'absolute-timeout';
  if (options.idleTimeoutMs > 0 && lastSeenAt - now > MAX_CLOCK_SKEW_MS) return 'idle-timeout';
  return expiresAt(options, deadline, lastSeenAt) <= now ? 'idle-timeout' : null;
}

/** Whether a request that changed nothing should still extend the idle expiry. */
export function dueForTouch(options: Timeouts, lastSeenAt: number, now: number): boolean {
  return options.idleTimeoutMs > 0 && now - lastSeenAt >= options.touchAfterMs;
}
