import { join } from 'node:path';
import type { RunContext } from '../http/run-http.ts';
import { Child } from '../infra/child.ts';
import type { MicroResult } from '../results.ts';

/**
 * The clients besides the hallpass store each backend runs: hallpass on node-redis, and the raw
 * clients it is compared with (memory has no driver to compare with).
 */
const OTHER_CLIENTS: Record<string, string[]> = {
  memory: [],
  redis: ['hallpass (node-redis)', 'ioredis', 'ioredis (auto-pipelining)', 'node-redis'],
  'redis-cluster': [],
  postgres: ['pg'],
  sqlite: ['better-sqlite3'],
};

export interface MicroOutcome {
  results: MicroResult[];
  skipped: Array<{ backend: string; reason: string }>;
  failures: string[];
}

/** One child process per backend, running the hallpass store and the raw clients in turns. */
export async function runMicro(ctx: RunContext): Promise<MicroOutcome> {
  const outcome: MicroOutcome = { results: [], skipped: [], failures: [] };
  const { profile } = ctx.options;
  for (const backend of ctx.backends) {
    const config = {
      backend: backend.name,
      clients: ['hallpass', ...(OTHER_CLIENTS[backend.name] ?? [])],
      env: ctx.env(`m_${backend.name}`),
      maxOps: profile.microOps,
      budgetMs: profile.microBudgetMs,
      repetitions: profile.microRepetitions,
      warmup: profile.name === 'full',
      concurrency: profile.microConcurrency,
    };
    const child = new Child(join(import.meta.dirname, 'micro-child.ts'), [JSON.stringify(config)]);
    try {
      const message = await child.next(['results', 'unavailable']);
      if (message.type === 'unavailable') {
        outcome.skipped.push({ backend: backend.name, reason: String(message.reason) });
        ctx.log(`  ${backend.name}: skipped (${message.reason})`);
        continue;
      }
      const results = message.results as MicroResult[];
      outcome.results.push(...results);
      for (const client of config.clients) {
        const mine = results.filter((r) => r.client === client);
        ctx.log(
          `  ${backend.name} ${client}: ${mine.map((r) => `${r.op}/${r.mode.slice(0, 3)} ${Math.round(r.opsPerSec)}`).join('  ')}`,
        );
      }
    } catch (error) {
      outcome.failures.push(`microbenchmark ${backend.name}: ${(error as Error).message}`);
    } finally {
      await child.stop();
    }
  }
  return outcome;
}
