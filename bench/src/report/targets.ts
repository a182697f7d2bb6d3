import type { BenchResults, CellResult, MicroResult } from '../results.ts';
import { ratio } from '../stats.ts';

/** The targets, each checked against ratios measured in the same run. */
export interface TargetCheck {
  target: string;
  where: string;
  measured: string;
  met: boolean;
}

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

export function hallpassCell(results: BenchResults, backend: string, scenario: string) {
  return ok(results.http).find(
    (c) => c.backend === backend && c.scenario === scenario && c.library === 'hallpass',
  );
}

export function ceiling(results: BenchResults, id: string) {
  return ok(results.http).find((c) => c.contender === id);
}

/** The fastest raw client for a backend, op and mode. */
export function bestRaw(micro: MicroResult[], m: MicroResult): MicroResult | undefined {
  return micro
    .filter(
      (r) =>
        r.client !== 'hallpass' && r.backend === m.backend && r.op === m.op && r.mode === m.mode,
    )
    .sort((a, b) => b.opsPerSec - a.opsPerSec)[0];
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
        where: `${backend} (vs ${es.label})`,
        measured: `${fmt(r)}×`,
        met: r !== null && r >= 1.5,
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
    });
  }
  for (const m of results.micro.filter((r) => r.client === 'hallpass')) {
    const raw = bestRaw(results.micro, m);
    if (!raw) continue;
    const r = ratio(m.opsPerSec, raw.opsPerSec);
    checks.push({
      target: 'Store ops ≥ 90% of the raw driver',
      where: `${m.backend} ${m.op}, ${m.mode} (vs ${raw.client})`,
      measured: `${fmt(r === null ? null : r * 100, 0)}%`,
      met: r !== null && r >= 0.9,
    });
  }
  for (const backend of backends) {
    const hp = hallpassCell(results, backend, 'S4');
    if (!hp || hp.writesPerRequest === undefined) continue;
    checks.push({
      target: 'S4: ≤ 1 store write per 10 read-only requests',
      where: backend,
      measured: `${fmt(hp.writesPerRequest, 3)} writes/request`,
      met: hp.writesPerRequest <= 0.1,
    });
  }
  return checks;
}
