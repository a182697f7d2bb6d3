import { join } from 'node:path';
import type { RunContext } from '../http/run-http.ts';
import { Child } from '../infra/child.ts';
import type { ScaleResult } from '../results.ts';
import { cleanupCheck } from './cleanup-check.ts';

const SQL_BACKENDS = ['postgres', 'mysql', 'sqlite'];

export interface ScaleOutcome {
  results: ScaleResult[];
  failures: string[];
}

/** Revoke-all and iteration per backend (one child each), then the SQL cleanup checks. */
export async function runScale(ctx: RunContext): Promise<ScaleOutcome> {
  const outcome: ScaleOutcome = { results: [], failures: [] };
  const { profile } = ctx.options;
  for (const backend of ctx.backends) {
    const config = {
      backend: backend.name,
      env: ctx.env(`s_${backend.name}`),
      small: profile.scaleSmall,
      large: profile.scaleLarge,
    };
    const child = new Child(
      join(import.meta.dirname, 'scale-child.ts'),
      [JSON.stringify(config)],
      ['--expose-gc'],
    );
    try {
      const message = await child.next(['results', 'unavailable']);
      if (message.type === 'unavailable') {
        ctx.log(`  ${backend.name}: skipped (${message.reason})`);
        continue;
      }
      const results = message.results as ScaleResult[];
      for (const r of results) ctx.log(`  ${backend.name}: ${JSON.stringify(r)}`);
      outcome.results.push(...results);
    } catch (error) {
      outcome.failures.push(`scale ${backend.name}: ${(error as Error).message}`);
    } finally {
      await child.stop();
    }
  }
  for (const backend of ctx.backends.filter((b) => SQL_BACKENDS.includes(b.name))) {
    try {
      const result = await cleanupCheck(ctx, backend.name);
      ctx.log(`  ${backend.name}: ${JSON.stringify(result)}`);
      outcome.results.push(result);
    } catch (error) {
      outcome.failures.push(`cleanup check ${backend.name}: ${(error as Error).message}`);
    }
  }
  return outcome;
}
