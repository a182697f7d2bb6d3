import type { BenchResults, CellResult, MicroResult } from '../results.ts';
import { ratio, roundsWritesPerRequest } from '../stats.ts';

/** The targets, each checked against ratios measured in the same run. */
export interface TargetCheck {
  target: string;
  where: string;
  measured: string;
  met: boolean;
  /** A cell behind the verdict had rounds measured while the machine was busy. */
  busy: boolean;
}

const busy = (...cells: Array<CellResult | undefined>) =>
  cells.some((c) => (c?.busyRounds ?? 0) > 0);

/** The round trips the issue allows hallpass on Redis (one per store call the request needs). */
const REDIS_ROUND_TRIPS: Record<string, number> = { S1: 2, S2: 1, S3: 2 };

const fmt = (n: number | null, digits = 2) => (n === null ? 'n/a' : n.toFixed(digits));

function ok(cells: CellResult[]): CellResult[] {
  return cells.filter((c) => c.status === 'ok');
}

/** The fastest express-session contender of a backend and scenario: the strictest comparison. */
export function bestExpressSession(results: BenchResults, backend: string, scenario: string) {
  const candidates = ok(results.http).filter(
    (c) => c.backend === backend && c.scenario === scenario && c.library === 'express-session',
  );
  return candidates.sort((a, b) => (b.rps ?? 0) - (a.rps ?? 0))[0];
}

/** Every hallpass contender of a backend and scenario (Redis runs hallpass on two clients). */
export function hallpassCells(results: BenchResults, backend: string, scenario: string) {
  return ok(results.http).filter(
    (c) => c.backend === backend && c.scenario === scenario && c.library === 'hallpass',
  );
}

/** The fastest hallpass contender: a user picks the client, as for express-session's store. */
export function hallpassCell(results: BenchResults, backend: string, scenario: string) {
  return hallpassCells(results, backend, scenario).sort((a, b) => (b.rps ?? 0) - (a.rps ?? 0))[0];
}

/** Names the hallpass contender where a backend has more than one. */
function which(results: BenchResults, cell: CellResult): string {
  const several = hallpassCells(results, cell.backend, cell.scenario).length > 1;
  return several ? `, ${cell.label}` : '';
}

export function ceiling(results: BenchResults, id: string) {
  return ok(results.http).find((c) => c.contender === id);
}

/** hallpass's store rows of the microbenchmark: `hallpass`, or `hallpass (node-redis)`. */
export const isHallpassClient = (client: string) => client.startsWith('hallpass');

/** What follows the backend's name for a hallpass row on another client: ` (node-redis)`. */
export const clientNote = (m: MicroResult) =>
  m.client === 'hallpass' ? '' : ` ${m.client.replace(/^hallpass /, '')}`;

const sameOp = (m: MicroResult) => (r: MicroResult) =>
  r.backend === m.backend && r.op === m.op && r.mode === m.mode;

/** The raw clients measured for a backend, op and mode, fastest first. */
export function rawRows(micro: MicroResult[], m: MicroResult): MicroResult[] {
  return micro
    .filter((r) => !isHallpassClient(r.client) && sameOp(m)(r))
    .sort((a, b) => b.opsPerSec - a.opsPerSec);
}

/** The fastest raw client for a backend, op and mode. */
export function bestRaw(micro: MicroResult[], m: MicroResult): MicroResult | undefined {
  return rawRows(micro, m)[0];
}

/** The fastest hallpass row for each backend, op and mode (Redis runs two clients). */
function bestHallpassRows(micro: MicroResult[]): MicroResult[] {
  const rows = micro.filter((r) => isHallpassClient(r.client));
  return rows.filter((m) => !rows.some((r) => sameOp(m)(r) && r.opsPerSec > m.opsPerSec));
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const backends = [
    ...new Set(results.http.filter((c) => c.library === 'hallpass').map((c) => c.backend)),
  ];
  for (const scenario of ['S1', 'S2', 'S3']) {
    for (const backend of backends) {
      const hp = hallpassCell(results, backend, scenario);
      const es = bestExpressSession(results, backend, scenario);
      if (!hp || !es) continue;
      const r = ratio(hp.rps, es.rps);
      checks.push({
        target: `${scenario}: hallpass ≥ 1.5× express-session req/s`,
        where: `${backend}${which(results, hp)} (vs ${es.label})`,
        measured: `${fmt(r)}×`,
        met: r !== null && r >= 1.5,
        busy: busy(hp, es),
      });
    }
  }
  const memS2 = hallpassCell(results, 'memory', 'S2');
  const express = ceiling(results, 'ceiling/express');
  if (memS2 && express) {
    const r = ratio(memS2.rps, express.rps);
    checks.push({
      target: 'Memory S2 ≥ 85% of Express without sessions',
      where: 'memory',
      measured: `${fmt(r === null ? null : r * 100, 0)}%`,
      met: r !== null && r >= 0.85,
      busy: busy(memS2, express),
    });
  }
  for (const m of bestHallpassRows(results.micro)) {
    const raw = bestRaw(results.micro, m);
    if (!raw) continue;
    const r = ratio(m.opsPerSec, raw.opsPerSec);
    checks.push({
      target: 'Store ops ≥ 90% of the raw driver',
      where: `${m.backend}${clientNote(m)} ${m.op}, ${m.mode} (vs ${raw.client})`,
      measured: `${fmt(r === null ? null : r * 100, 0)}%`,
      met: r !== null && r >= 0.9,
      busy: false,
    });
  }
  // Writes and round trips hold for every hallpass contender, not only the fastest.
  for (const hp of backends.flatMap((backend) => hallpassCells(results, backend, 'S4'))) {
    // Steady state: the measured rounds, after the warm-up.
    const writes = roundsWritesPerRequest(hp);
    if (writes === undefined) continue;
    checks.push({
      target: 'S4: ≤ 1 store write per 10 read-only requests (steady state)',
      where: `${hp.backend}${which(results, hp)}`,
      measured: `${fmt(writes, 3)} writes/request`,
      met: writes <= 0.1,
      busy: false,
    });
  }
  for (const backend of backends.filter((b) => b !== 'memory')) {
    for (const scenario of ['S1', 'S2', 'S3', 'S4']) {
      const fewest = ok(results.http)
        .filter(
          (c) =>
            c.backend === backend &&
            c.scenario === scenario &&
            c.library === 'express-session' &&
            c.roundTripsPerRequest !== undefined,
        )
        .sort((a, b) => (a.roundTripsPerRequest ?? 0) - (b.roundTripsPerRequest ?? 0))[0];
      if (!fewest) continue;
      for (const hp of hallpassCells(results, backend, scenario)) {
        if (hp.roundTripsPerRequest === undefined) continue;
        checks.push({
          target: `${scenario}: store round trips per request ≤ express-session's`,
          where: `${backend}${which(results, hp)} (vs ${fewest.label})`,
          measured: `${fmt(hp.roundTripsPerRequest, 2)} vs ${fmt(fewest.roundTripsPerRequest ?? null, 2)}`,
          met: hp.roundTripsPerRequest <= (fewest.roundTripsPerRequest ?? 0) + 0.005,
          busy: false,
        });
      }
    }
  }
  for (const [scenario, allowed] of Object.entries(REDIS_ROUND_TRIPS)) {
    for (const hp of ['redis', 'redis-cluster'].flatMap((b) =>
      hallpassCells(results, b, scenario),
    )) {
      if (hp.roundTripsPerRequest === undefined) continue;
      checks.push({
        target: `${scenario}: ≤ ${allowed} Redis round trip${allowed > 1 ? 's' : ''} per request`,
        where: `${hp.backend}${which(results, hp)}`,
        measured: fmt(hp.roundTripsPerRequest, 2),
        met: hp.roundTripsPerRequest <= allowed + 0.005,
        busy: false,
      });
    }
  }
  return checks;
}
