import { join } from 'node:path';
import { CEILINGS } from '../backends/index.ts';
import type { BackendDef, BackendEnv } from '../backends/types.ts';
import type { CliOptions } from '../config.ts';
import { Child } from '../infra/child.ts';
import type { CellResult } from '../results.ts';
import { runCell } from './cell.ts';
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
  return `${Math.round(cell.rps ?? 0)} req/s  p50 ${cell.p50} ms  p99 ${cell.p99} ms  cpu ${Math.round(cell.cpuMicrosPerRequest ?? 0)} µs/req  writes/req ${wpr.toFixed(3)}`;
}

interface ContenderRun {
  id: string;
  label: string;
  backend: string;
  library: CellResult['library'];
  scenarios: Scenario[];
}

/**
 * Every contender through every scenario. Each contender gets its own server child (started
 * fresh, profiled separately with --cpu-prof); one load generator process drives them all.
 * The ceilings run once, with the read scenarios' request shape (a cookie on every request).
 */
export async function runHttp(ctx: RunContext): Promise<CellResult[]> {
  const { options } = ctx;
  const scenarios = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.has(s.id));
  const runs: ContenderRun[] = CEILINGS.map((c) => ({
    id: c.id,
    label: c.label,
    backend: 'ceiling',
    library: 'ceiling' as const,
    scenarios: [scenarioById('S2')],
  }));
  for (const backend of ctx.backends) {
    for (const c of backend.contenders) {
      runs.push({ id: c.id, label: c.label, backend: backend.name, library: c.library, scenarios });
    }
  }

  const results: CellResult[] = [];
  let cellNumber = 0;
  const load = new Child(join(import.meta.dirname, 'load-child.ts'));
  try {
    for (const run of runs) {
      const execArgv = options.cpuProfDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${options.cpuProfDir}`,
            `--cpu-prof-name=${run.id.replace('/', '-')}.cpuprofile`,
          ]
        : [];
      const server = new Child(join(import.meta.dirname, 'server-child.ts'), [], execArgv);
      try {
        for (const scenario of run.scenarios) {
          ctx.log(`  ${scenario.id} ${run.label} ...`);
          const spec = {
            contender: run.id,
            label: run.label,
            backend: run.backend,
            library: run.library,
            scenario,
          };
          const cell = await runCell(
            spec,
            options.profile,
            ctx.env(`c${++cellNumber}`),
            server,
            load,
          );
          ctx.log(`     ${describe(cell)}`);
          results.push(cell);
          if (cell.status === 'skipped') break;
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await load.stop();
  }
  return results;
}
