import { join } from 'node:path';
import type { RunContext } from '../http/run-http.ts';
import { Child } from '../infra/child.ts';
import type { MicroResult } from '../results.ts';

/** The raw clients each backend is compared with (memory has no driver to compare with). */
const RAW_CLIENTS: Record<string, string[]> = {
  memory: [],
  redis: ['ioredis', 'ioredis (auto-pipelining)', 'node-redis'],
  postgres: ['pg'],
  sqlite: ['better-sqlite3'],
};

export interface MicroOutcome {
  results: MicroResult[];
  skipped: Array<{ backend: string; reason: string }>;
  failures: string[];
}

/** Each client of each backend in its own child process, hallpass first, then the raw ones. */
export async function runMicro(ctx: RunContext): Promise<MicroOutcome> {
  const outcome: MicroOutcome = { results: [], skipped: [], failures: [] };
  let n = 0;
  for (const backend of ctx.backends) {
    for (const client of ['hallpass', ...(RAW_CLIENTS[backend.name] ?? [])]) {
      const config = {
        backend: backend.name,
        client,
        env: ctx.env(`m${++n}`),
        ops: ctx.options.profile.microOps,
        concurrency: ctx.options.profile.microConcurrency,
      };
      const child = new Child(join(import.meta.dirname, 'micro-child.ts'), [
        JSON.stringify(config),
      ]);
      try {
        const message = await child.next(['results', 'unavailable']);
        if (message.type === 'unavailable') {
          outcome.skipped.push({ backend: backend.name, reason: String(message.reason) });
          ctx.log(`  ${backend.name} ${client}: skipped (${message.reason})`);
          break;
        }
        const results = message.results as MicroResult[];
        outcome.results.push(...results);
        ctx.log(
          `  ${backend.name} ${client}: ${results.map((r) => `${r.op}/${r.mode.slice(0, 3)} ${Math.round(r.opsPerSec)}`).join('  ')}`,
        );
      } catch (error) {
        outcome.failures.push(
          `microbenchmark ${backend.name} ${client}: ${(error as Error).message}`,
        );
      } finally {
        await child.stop();
      }
    }
  }
  return outcome;
}
