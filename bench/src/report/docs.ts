import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults, CellResult } from '../results.ts';
import { ratio, roundsWritesPerRequest } from '../stats.ts';
import { renderChart, SCENARIO_TITLES } from './svg.ts';
import {
  bestExpressSession,
  bestRaw,
  ceiling,
  checkTargets,
  clientNote,
  isHallpassClient,
  rawRows,
} from './targets.ts';

/**
 * docs/benchmarks.md and docs/benchmarks.svg, generated from a result JSON. The hand-written
 * parts (the analysis of what the numbers mean and where the time goes) live in
 * bench/ANALYSIS.md and bench/METHOD.md and are included as they are.
 */
const int = (n: number | undefined) =>
  n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US');
const times = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}×`);
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 100)}%`);

/** "1,234 (1,100–1,300)": the median and the spread of the rounds. */
function rpsWithSpread(cell: CellResult): string {
  const rps = cell.rounds.map((r) => r.rps);
  if (rps.length < 2) return int(cell.rps);
  return `${int(cell.rps)} (${int(Math.min(...rps))}–${int(Math.max(...rps))})`;
}

/** Marks a cell with rounds measured while the machine was busy. */
export function busyMark(cell: CellResult): string {
  return cell.busyRounds ? ` ⚠ busy ${cell.busyRounds}/${cell.rounds.length}` : '';
}

const fixed = (n: number | undefined, digits: number) =>
  n === undefined ? 'n/a' : n.toFixed(digits);

function httpTable(results: BenchResults, scenario: string): string {
  const rows = results.http.filter((c) => c.scenario === scenario && c.library !== 'ceiling');
  const express = ceiling(results, 'ceiling/express');
  const node = ceiling(results, 'ceiling/node-http');
  const lines = [
    '| backend | contender | req/s (min–max) | server CPU µs / request | p50 ms | p99 ms | store writes / request | store round trips / request | vs express-session | vs Express ceiling | vs node:http ceiling |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const cell of rows) {
    if (cell.status !== 'ok') {
      lines.push(
        `| ${cell.backend} | ${cell.label} | ${cell.status}: ${cell.reason ?? ''} | | | | | | | | |`,
      );
      continue;
    }
    const es = bestExpressSession(results, cell.backend, scenario);
    const vsEs = cell.library === 'hallpass' && es ? times(ratio(cell.rps, es.rps)) : '';
    const name = cell.library === 'hallpass' ? `**${cell.label}**` : cell.label;
    lines.push(
      `| ${cell.backend} | ${name} | ${rpsWithSpread(cell)}${busyMark(cell)} | ${int(cell.cpuMicrosPerRequest)} | ${cell.p50} | ${cell.p99} | ${(cell.writesPerRequest ?? 0).toFixed(3)} | ${fixed(cell.roundTripsPerRequest, 2)} | ${vsEs} | ${pct(ratio(cell.rps, express?.rps))} | ${pct(ratio(cell.rps, node?.rps))} |`,
    );
  }
  return lines.join('\n');
}

/** S4 in detail: how many store writes, on how many distinct sessions, in steady state. */
function touchTable(results: BenchResults): string {
  const rows = results.http.filter((c) => c.scenario === 'S4' && c.status === 'ok');
  if (rows.length === 0) return '';
  const lines = [
    '| backend | contender | requests | virtual minutes | store writes | distinct sessions written | writes / request, whole cell | writes / request, measured rounds |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of rows) {
    const minutes = c.virtualSeconds === undefined ? 'n/a' : (c.virtualSeconds / 60).toFixed(1);
    lines.push(
      `| ${c.backend} | ${c.label} | ${int(c.requests)} | ${minutes} | ${int(c.writes)} | ${int(c.sessionsWritten)} | ${(c.writesPerRequest ?? 0).toFixed(3)} | ${fixed(roundsWritesPerRequest(c), 3)} |`,
    );
  }
  return lines.join('\n');
}

function ceilingTable(results: BenchResults): string {
  const lines = ['| ceiling | req/s (min–max) | p50 ms | p99 ms |', '|---|---:|---:|---:|'];
  for (const cell of results.http.filter((c) => c.library === 'ceiling')) {
    if (cell.status !== 'ok') lines.push(`| ${cell.label} | ${cell.status}: ${cell.reason} | | |`);
    else {
      lines.push(
        `| ${cell.label} | ${rpsWithSpread(cell)}${busyMark(cell)} | ${cell.p50} | ${cell.p99} |`,
      );
    }
  }
  return lines.join('\n');
}

function microTable(results: BenchResults): string {
  const hallpass = results.micro.filter((r) => isHallpassClient(r.client));
  if (hallpass.length === 0) return '_Not run._';
  const lines = [
    '| backend | operation | mode | hallpass ops/s | raw driver ops/s (fastest) | hallpass / raw |',
    '|---|---|---|---:|---:|---:|',
  ];
  for (const m of hallpass) {
    const raw = bestRaw(results.micro, m);
    const others = rawRows(results.micro, m)
      .map((r) => `${r.client} ${int(r.opsPerSec)}`)
      .join(', ');
    lines.push(
      `| ${m.backend}${clientNote(m)} | ${m.op} | ${m.mode} | ${int(m.opsPerSec)} | ${others || 'none'} | ${raw ? pct(ratio(m.opsPerSec, raw.opsPerSec)) : 'n/a'} |`,
    );
  }
  return lines.join('\n');
}

function scaleTable(results: BenchResults): string {
  if (results.scale.length === 0) return '_Not run._';
  const lines = ['| check | backend | result |', '|---|---|---|'];
  for (const s of results.scale) {
    const { check, backend, ...rest } = s;
    const detail = Object.entries(rest)
      .map(
        ([k, v]) =>
          `${k}: ${typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2)) : v}`,
      )
      .join('; ');
    lines.push(`| ${check} | ${backend} | ${detail} |`);
  }
  return lines.join('\n');
}

function targetTable(results: BenchResults): string {
  const checks = checkTargets(results);
  const lines = ['| target | where | measured | met |', '|---|---|---|:---:|'];
  for (const c of checks)
    lines.push(
      `| ${c.target} | ${c.where} | ${c.measured} | ${c.met ? 'yes' : '**no**'}${c.busy ? ' (⚠ busy machine)' : ''} |`,
    );
  return lines.join('\n');
}

async function include(path: string): Promise<string> {
  return existsSync(path) ? (await readFile(path, 'utf8')).trim() : '';
}

export function skippedLines(results: BenchResults): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const cell of results.http.filter((c: CellResult) => c.status === 'skipped')) {
    if (seen.has(cell.contender)) continue;
    seen.add(cell.contender);
    lines.push(`- ${cell.label}: skipped (${cell.reason})`);
  }
  for (const s of results.microSkipped)
    lines.push(`- microbenchmark ${s.backend}: skipped (${s.reason})`);
  return lines;
}

export async function renderMarkdown(results: BenchResults, benchDir: string): Promise<string> {
  const m = results.machine;
  const versions = Object.entries(results.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const scenarios = [
    ...new Set(results.http.filter((c) => c.library !== 'ceiling').map((c) => c.scenario)),
  ];
  const skipped = skippedLines(results);
  return `# Benchmarks

hallpass side by side with express-session 1.x and its usual store on the same backend, the raw
drivers, and two ceilings (bare \`node:http\`, Express without sessions). Every number below comes
from one run of \`pnpm bench\` (${results.profile} profile, ${results.startedAt}, ${Math.round(results.durationSec / 60)} minutes),
recorded in [bench/results/full.json](../bench/results/full.json). This page and the chart are
generated from that file (\`pnpm bench --report-only\` regenerates them).

![Requests per second per scenario and contender](benchmarks.svg)

## Targets

Ratios from the same run. "vs express-session" compares with the fastest express-session
contender on the same backend. A verdict marked ⚠ rests on a cell with rounds measured while the
machine was busy (${results.machine.busyRule ?? 'no busy rule recorded in this run'}): it is not a result.

${targetTable(results)}

${await include(join(benchDir, 'ANALYSIS.md'))}

## HTTP scenarios

Median of ${results.settings.rounds} rounds of ${results.settings.roundSec} s after a ${results.settings.warmupSec} s warm-up (S4: rounds of
${results.settings.s4RoundRequests ?? 'n/a'} requests after ${results.settings.s4WarmupRequests ?? 'n/a'}), ${results.settings.connections} connections,
${int(Number(results.settings.sessions))} seeded sessions (S4: ${results.settings.s4Sessions ?? 'n/a'}); the contenders of a backend take turns round by round, and the
range after req/s is the slowest and fastest round. ⚠ marks cells with rounds measured while the
machine was busy. Latency p50/p99 are the medians of the rounds' percentiles.
Store writes per request count every hallpass create/update/touch/delete and every
express-session set/touch/destroy, in the server process, over the whole cell (warm-up included).
Store round trips per request are counted at the client during ${results.settings.probeRequests ?? 'n/a'} sequential requests
after the rounds (see "How it is measured").

### Ceilings

${ceilingTable(results)}

${scenarios.map((s) => `### ${s}: ${SCENARIO_TITLES[s] ?? s}\n\n${httpTable(results, s)}`).join('\n\n')}

### S4: touch throttling in detail

${touchTable(results)}

## Store microbenchmark

Each hallpass store and the raw driver doing the equivalent work, one call at a time (sequential)
and ${results.settings.microConcurrency} in flight (concurrent). Each measurement runs for ${results.settings.microBudgetMs} ms (at most
${results.settings.microOps} calls); the clients take turns, and each figure is the median of ${results.settings.microRepetitions} repetitions
after a discarded warm-up. Each operation starts from the same backend state: on SQLite, an
empty WAL for both clients, so a checkpoint is not charged to whichever operation's writes
happen to cross SQLite's 1 000-page threshold.

${microTable(results)}

## Scale checks

${scaleTable(results)}

${skipped.length > 0 ? `## Not measured\n\n${skipped.join('\n')}\n` : ''}
${await include(join(benchDir, 'METHOD.md'))}

## Machine

- CPU: ${m.cores} × ${m.cpus}; memory ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}
- Load average when the run started: ${m.loadAverageAtStart.join(', ')}${m.startedBusy === false ? '' : ' (other work was running on the machine)'}
- Versions: ${versions}

## Reproduce

\`\`\`sh
pnpm install
pnpm bench            # full run, about 15 minutes: writes bench/results/full.json and this page
pnpm bench --quick    # smoke test, under 2 minutes: every contender briefly, nothing asserted
pnpm bench --only=http --backends=memory,redis --scenarios=S1,S2   # a subset (results in bench/results/tmp/)
pnpm bench --cpu-prof=/tmp/prof --backends=memory --scenarios=S2 --only=http   # CPU profiles of the server processes
\`\`\`

It needs \`redis-server\`, the PostgreSQL server binaries (\`initdb\`, \`postgres\`) and MariaDB's
(\`mariadb-install-db\`, \`mariadbd\`) installed; it starts its own throwaway instances on free
ports and removes them afterwards.
`;
}

export async function writeDocs(results: BenchResults, repoRoot: string): Promise<void> {
  const benchDir = join(repoRoot, 'bench');
  await writeFile(join(repoRoot, 'docs', 'benchmarks.svg'), renderChart(results));
  await writeFile(join(repoRoot, 'docs', 'benchmarks.md'), await renderMarkdown(results, benchDir));
}
