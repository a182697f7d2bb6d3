import {
  backendUnreachable,
  HOW_TO_START,
  REDIS_URL,
  serversRequired,
} from '@hallpass/test-support';
import { describe, it } from 'vitest';

/** Why a file's server is missing and how to provide one. */
export interface MissingServer {
  /** What the file needs, as a test title: `a server is reachable at …`. */
  needs: string;
  /** Why it is missing: the probe's or the harness's error. */
  reason: string;
  /** How to start one (or where to point the tests instead). */
  hint: string;
}

/**
 * Registers, in place of a file's tests, a failing test under CI=true (a missing server must
 * never turn into a green run) and elsewhere a visible skip with the reason.
 */
export function reportMissingServer(suite: string, { needs, reason, hint }: MissingServer): void {
  if (serversRequired()) {
    it(`${suite}: ${needs}`, () => {
      throw new Error(`${reason} (CI=true); ${hint}`);
    });
  } else {
    describe.skip(`${suite} [skipped: ${reason}; ${hint}]`, () => {
      it(needs, () => {});
    });
  }
}

/**
 * Whether the standalone server at HALLPASS_REDIS_URL (default localhost:6379) answers PING;
 * when it does not, the file gets reportMissingServer's failing test or skip instead.
 */
export async function standaloneReachable(suite: string): Promise<boolean> {
  const reason = await backendUnreachable('redis', REDIS_URL);
  if (reason === undefined) return true;
  reportMissingServer(suite, {
    needs: `a server is reachable at ${REDIS_URL}`,
    reason,
    hint: HOW_TO_START.redis,
  });
  return false;
}
