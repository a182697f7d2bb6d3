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

/** Why a session seen last at `lastSeenAt` has ended by `now`, or null while it lives. */
export function endedBecause(
  options: Timeouts,
  deadline: number,
  lastSeenAt: number,
  now: number,
): Extract<RejectReason, 'absolute-timeout' | 'idle-timeout'> | null {
  if (deadline <= now) return 'absolute-timeout';
  return expiresAt(options, deadline, lastSeenAt) <= now ? 'idle-timeout' : null;
}

/** Whether a request that changed nothing should still extend the idle expiry. */
export function dueForTouch(options: Timeouts, lastSeenAt: number, now: number): boolean {
  return options.idleTimeoutMs > 0 && now - lastSeenAt >= options.touchAfterMs;
}
