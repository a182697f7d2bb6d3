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
 * then again while the store's own batched deleteExpired() runs.
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
    // Measure while the cleanup runs; stop it after as many rounds as the baseline had plus
    // two (deleting a million rows in 1000-row batches takes longer than the time budget).
    const during: ChildMessage[] = [];
    while (!done && during.length < profile.rounds + 2) during.push(await round());
    if (!done) server.send({ type: 'cleanup-stop' });
    await finished;
    const summary = done as unknown as { finished: boolean; remaining: number; seconds: number };
    const deleted = profile.cleanupRows - summary.remaining;
    if (summary.finished && summary.remaining > 0) {
      throw new Error(`cleanup finished with ${summary.remaining} expired rows left`);
    }
    if (deleted <= 0) throw new Error('cleanup deleted nothing');
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
      'expired rows deleted while measured': deleted,
      'cleanup finished': summary.finished ? 'yes' : 'no (stopped after the measured rounds)',
      'cleanup seconds': summary.seconds,
      'rows deleted per second': deleted / summary.seconds,
    };
  } finally {
    await server.request({ type: 'teardown' }, 'torn-down').catch(() => {});
    await load.stop();
    await server.stop();
  }
}
