import { join } from 'node:path';
import { CEILINGS } from '../backends/index.ts';
import type { BackendDef, BackendEnv } from '../backends/types.ts';
import type { CliOptions } from '../config.ts';
import { Child } from '../infra/child.ts';
import type { CellResult } from '../results.ts';
import { Cell } from './cell.ts';
import { SCENARIOS, type Scenario, scenarioById } from './scenarios.ts';

export interface RunContext {
  options: CliOptions;
  backends: BackendDef[];
  env: (namespace: string) => BackendEnv;
  log: (line: string) => void;
}

function describe(cell: CellResult): string {
  if (cell.status !== 'ok') return `${cell.status.toUpperCase()}: ${cell.reason}`;
  const wpr = cell.writesPerRequest ?? 0;
  const rtt = cell.roundTripsPerRequest;
  const busy = cell.busyRounds ? `  BUSY ${cell.busyRounds}/${cell.rounds.length} rounds` : '';
  return (
    `${Math.round(cell.rps ?? 0)} req/s (${Math.round(cell.rpsMin ?? 0)}–${Math.round(cell.rpsMax ?? 0)})` +
    `  p50 ${cell.p50} ms  p99 ${cell.p99} ms  cpu ${Math.round(cell.cpuMicrosPerRequest ?? 0)} µs/req` +
    `  writes/req ${wpr.toFixed(3)}${rtt === undefined ? '' : `  round trips/req ${rtt.toFixed(2)}`}${busy}`
  );
}

interface ContenderRef {
  id: string;
  label: string;
  backend: string;
  library: CellResult['library'];
}

/** Contenders measured side by side: one backend and scenario (plus the ceilings once, in S2). */
interface Group {
  scenario: Scenario;
  contenders: ContenderRef[];
}

function groups(ctx: RunContext): Group[] {
  const { options } = ctx;
  const scenarios = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.has(s.id));
  const ceilings: ContenderRef[] = CEILINGS.map((c) => ({
    id: c.id,
    label: c.label,
    backend: 'ceiling',
    library: 'ceiling' as const,
  }));
  const result: Group[] = [];
  for (const backend of ctx.backends) {
    for (const scenario of scenarios) {
      result.push({
        scenario,
        contenders: backend.contenders.map((c) => ({
          id: c.id,
          label: c.label,
          backend: backend.name,
          library: c.library,
        })),
      });
    }
  }
  // The ceilings take turns with the first read-only group (memory S2 in a full run: the
  // "memory S2 vs Express" target compares exactly these), or run on their own.
  const s2 = result.find((g) => g.scenario.id === 'S2');
  if (s2) s2.contenders.push(...ceilings);
  else result.unshift({ scenario: scenarioById('S2'), contenders: ceilings });
  return result;
}

/**
 * Every contender through every scenario, contenders taking turns round by round (ABAB):
 * within a backend and scenario every contender is set up and warmed up in its own server
 * child, then round 1 runs for each of them in turn, then round 2, and so on. A contender
 * keeps its server child from one scenario to the next (profiled as one with --cpu-prof) and
 * it stops after the contender's last group. One load generator process drives them all.
 */
export async function runHttp(ctx: RunContext): Promise<CellResult[]> {
  const { options } = ctx;
  const results: CellResult[] = [];
  const plan = groups(ctx);
  const servers = new Map<string, Child>();
  const serverFor = (id: string) => {
    let server = servers.get(id);
    if (!server) {
      const execArgv = options.cpuProfDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${options.cpuProfDir}`,
            `--cpu-prof-name=${id.replace('/', '-')}.cpuprofile`,
          ]
        : [];
      server = new Child(join(import.meta.dirname, 'server-child.ts'), [], execArgv);
      servers.set(id, server);
    }
    return server;
  };
  let cellNumber = 0;
  const load = new Child(join(import.meta.dirname, 'load-child.ts'));
  try {
    for (const [index, group] of plan.entries()) {
      const cells: Cell[] = [];
      try {
        for (const contender of group.contenders) {
          const spec = { ...contender, contender: contender.id, scenario: group.scenario };
          const env = ctx.env(`c${++cellNumber}`);
          const cell = new Cell(spec, options.profile, env, serverFor(contender.id), load);
          ctx.log(`  ${group.scenario.id} ${contender.label}: setting up ...`);
          await cell.setup();
          cells.push(cell);
        }
        for (const cell of cells) await cell.warmup();
        for (let round = 0; round < options.profile.rounds; round++) {
          for (const cell of cells) await cell.round();
        }
        for (const cell of cells) await cell.probe();
      } finally {
        for (const cell of cells) {
          const result = await cell.finish();
          ctx.log(`  ${group.scenario.id} ${result.label}: ${describe(result)}`);
          results.push(result);
        }
        const later = new Set(plan.slice(index + 1).flatMap((g) => g.contenders.map((c) => c.id)));
        for (const [id, server] of servers) {
          if (later.has(id)) continue;
          servers.delete(id);
          await server.stop();
        }
      }
    }
  } finally {
    for (const server of servers.values()) await server.stop();
    await load.stop();
  }
  return results;
}
