/**
 * The HTTP scenarios. Every contender runs the same handler logic (handlers.ts) with the
 * same payloads and the same load generator settings; only the session library differs.
 */
export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Requests carry a random seeded session cookie (false: no cookie at all). */
  withCookie: boolean;
  /** Sessions expire after this much inactivity (the manager/cookie is configured for it). */
  idleTimeoutMs: number;
}

/** Idle timeout of S4 (the figure); touchAfter stays at its default, a tenth: 3 min. */
export const S4_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const S4_TOUCH_AFTER_MS = S4_IDLE_TIMEOUT_MS / 10;
/**
 * S4 runs on an injected clock that advances with every request, so a cell covers many
 * touchAfter periods in seconds: each seeded session comes back every S4_RETURN_GAP_MS of
 * virtual time on average (an active user). In steady state a throttled library writes a
 * session about once per touchAfter + gap, so writes per request ≈ gap / (touchAfter + gap).
 */
export const S4_RETURN_GAP_MS = 10_000;

export const SCENARIOS: Scenario[] = [
  { id: 'S1', title: 'read + write', withCookie: true, idleTimeoutMs: 0 },
  { id: 'S2', title: 'read-only', withCookie: true, idleTimeoutMs: 0 },
  { id: 'S3', title: 'sign-in', withCookie: false, idleTimeoutMs: 0 },
  {
    id: 'S4',
    title: 'read-only, idle timeout on',
    withCookie: true,
    idleTimeoutMs: S4_IDLE_TIMEOUT_MS,
  },
];

export function scenarioById(id: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario ${id}`);
  return scenario;
}
