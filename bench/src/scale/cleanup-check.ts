import { join } from 'node:path';
import type { RunContext } from '../http/run-http.ts';
import { scenarioById } from '../http/scenarios.ts';
import { Child, type ChildMessage } from '../infra/child.ts';
import type { ScaleResult } from '../results.ts';
import { median } from '../stats.ts';

const httpDir = join(import.meta.dirname, '..', 'http');

/**
 * SQL cleanup of many expired rows while serving S1: the hallpass store's table gets the
 * seeded live sessions plus `cleanupRows` expired ones; S1 rounds run first without cleanup,
 * then again while the store's own batched deleteExpired() runs, until it finishes.
 */
export async function cleanupCheck(ctx: RunContext, backend: string): Promise<ScaleResult> {
  const { profile } = ctx.options;
  const server = new Child(join(httpDir, 'server-child.ts'));
  const load = new Child(join(httpDir, 'load-child.ts'));
  const env = ctx.env(`cleanup_${backend}`);
  const cookieFile = join(env.dataDir, `${env.namespace}.cookies`);
  try {
    const ready = await server.request(
      {
        type: 'setup',
        contenderId: `${backend}/hallpass`,
        scenario: 'S1',
        sessions: profile.sessions,
        cookieFile,
        env,
      },
      ['ready', 'unavailable'],
    );
    if (ready.type === 'unavailable') throw new Error(String(ready.reason));
    scenarioById('S1');
    await load.request(
      {
        type: 'init',
        url: `http://127.0.0.1:${ready.port}/`,
        cookieFile,
        connections: profile.connections,
      },
      'ready',
    );
    await server.request({ type: 'bulk-expired', count: profile.cleanupRows }, 'bulk-done');
    const round = async () => {
      const r = await load.request(
        { type: 'run', durationSec: profile.roundSec, amount: profile.roundRequests },
        'result',
      );
      if (Number(r.non2xx) + Number(r.errors) + Number(r.timeouts) > 0) {
        throw new Error(
          `S1 during the cleanup check: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
        );
      }
      return r;
    };
    await round();
    const baseline: ChildMessage[] = [];
    for (let i = 0; i < profile.rounds; i++) baseline.push(await round());

    let done: ChildMessage | null = null;
    const finished = server.next('cleanup-done').then((m) => {
      done = m;
    });
    await server.request({ type: 'cleanup' }, 'cleanup-started');
    const during: ChildMessage[] = [];
    // Rounds keep coming until the cleanup has finished (at least one round overlaps it).
    while (!done && during.length < 60) during.push(await round());
    await finished;
    const summary = done as unknown as { deleted: number; seconds: number };
    if (summary.deleted < profile.cleanupRows) {
      throw new Error(`cleanup deleted ${summary.deleted} of ${profile.cleanupRows} expired rows`);
    }
    const p99 = (rs: ChildMessage[]) => median(rs.map((r) => Number(r.p99)));
    const rps = (rs: ChildMessage[]) => median(rs.map((r) => Number(r.rps)));
    return {
      check: `SQL cleanup of ${profile.cleanupRows.toLocaleString('en-US')} expired rows while serving S1`,
      backend,
      'p99 ms without cleanup': p99(baseline),
      'p99 ms during cleanup': p99(during),
      'worst round p99 ms during cleanup': Math.max(...during.map((r) => Number(r.p99))),
      'req/s without cleanup': rps(baseline),
      'req/s during cleanup': rps(during),
      'rows deleted': summary.deleted,
      'cleanup seconds': summary.seconds,
    };
  } finally {
    await server.request({ type: 'teardown' }, 'torn-down').catch(() => {});
    await load.stop();
    await server.stop();
  }
}
