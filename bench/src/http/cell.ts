import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendEnv } from '../backends/types.ts';
import type { Profile } from '../config.ts';
import type { Child } from '../infra/child.ts';
import type { CellResult, RoundResult } from '../results.ts';
import { median } from '../stats.ts';
import type { Scenario } from './scenarios.ts';

export interface CellSpec {
  contender: string;
  label: string;
  backend: string;
  library: CellResult['library'];
  scenario: Scenario;
}

interface Stats {
  cpuMicros: number;
  distinctWritten: number;
  requests: number;
  failures: number;
  reads: number;
  writes: number;
}

/**
 * One cell: the contender's server child sets up a fresh store for the scenario, the load
 * generator child runs a discarded warm-up, then `rounds` measured rounds. Store calls are read
 * from the server child around each round. Any non-2xx answer, socket error or timeout fails
 * the cell.
 */
export async function runCell(
  spec: CellSpec,
  profile: Profile,
  env: BackendEnv,
  server: Child,
  load: Child,
): Promise<CellResult> {
  const base: CellResult = {
    contender: spec.contender,
    label: spec.label,
    backend: spec.backend,
    library: spec.library,
    scenario: spec.scenario.id,
    status: 'ok',
    rounds: [],
  };
  const cookieFile = join(env.dataDir, `${env.namespace}.cookies`);
  let setUp = false;
  try {
    const first = await server.request(
      {
        type: 'setup',
        contenderId: spec.contender,
        scenario: spec.scenario.id,
        sessions: profile.sessions,
        cookieFile,
        env,
      },
      ['ready', 'unavailable'],
    );
    if (first.type === 'unavailable') {
      return { ...base, status: 'skipped', reason: String(first.reason) };
    }
    setUp = true;
    await load.request(
      {
        type: 'init',
        url: `http://127.0.0.1:${first.port}/`,
        cookieFile,
        connections: profile.connections,
      },
      'ready',
    );
    const stats = async () =>
      (await server.request({ type: 'stats' }, 'stats')) as unknown as Stats;
    const problems: string[] = [];
    const runRound = async (durationSec: number, amount?: number) => {
      const result = await load.request({ type: 'run', durationSec, amount }, 'result');
      const bad = Number(result.non2xx) + Number(result.errors) + Number(result.timeouts);
      if (bad > 0) {
        problems.push(
          `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
        );
      }
      if (Number(result.requests) === 0) problems.push('no request completed');
      return result;
    };

    const start = await stats();
    if (profile.warmupSec > 0) await runRound(profile.warmupSec);
    for (let i = 0; i < profile.rounds; i++) {
      const before = await stats();
      const result = await runRound(profile.roundSec, profile.roundRequests);
      const after = await stats();
      const round: RoundResult = {
        rps: Number(result.rps),
        p50: Number(result.p50),
        p99: Number(result.p99),
        requests: after.requests - before.requests,
        writes: after.writes - before.writes,
        reads: after.reads - before.reads,
        cpuMicrosPerRequest:
          (after.cpuMicros - before.cpuMicros) / Math.max(1, after.requests - before.requests),
      };
      base.rounds.push(round);
    }
    const end = await stats();
    if (end.failures > start.failures) {
      problems.push(`server answered ${end.failures - start.failures} errors`);
    }
    if (problems.length > 0) return { ...base, status: 'failed', reason: problems.join('; ') };
    const handled = end.requests - start.requests;
    return {
      ...base,
      rps: median(base.rounds.map((r) => r.rps)),
      p50: median(base.rounds.map((r) => r.p50)),
      p99: median(base.rounds.map((r) => r.p99)),
      cpuMicrosPerRequest: median(base.rounds.map((r) => r.cpuMicrosPerRequest)),
      writesPerRequest: handled > 0 ? (end.writes - start.writes) / handled : 0,
      writes: end.writes - start.writes,
      sessionsWritten: end.distinctWritten - start.distinctWritten,
      requests: handled,
    };
  } catch (error) {
    return { ...base, status: 'failed', reason: (error as Error).message.slice(0, 2000) };
  } finally {
    if (setUp) await server.request({ type: 'teardown' }, 'torn-down').catch(() => {});
    await rm(cookieFile, { force: true });
  }
}
