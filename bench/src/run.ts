/**
 * `pnpm bench [--quick]`: hallpass side by side with express-session and the raw drivers.
 * Builds the workspace packages, starts throwaway Redis, PostgreSQL and MariaDB servers on free ports,
 * runs the HTTP cells, the store microbenchmark and the scale checks, writes the JSON result
 * and (full run) docs/benchmarks.md and docs/benchmarks.svg. Exits non-zero if anything crashed
 * or answered errors; speeds are never asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { BACKENDS } from './backends/index.ts';
import type { BackendEnv } from './backends/types.ts';
import { parseArgs } from './config.ts';
import { runHttp } from './http/run-http.ts';
import { BUSY_RULE, startedBusy } from './infra/machine.ts';
import {
  startMariadb,
  startPostgres,
  startRedis,
  startRedisCluster,
  type ThrowawayServer,
} from './infra/servers.ts';
import { runMicro } from './micro/run-micro.ts';
import { writeDocs } from './report/docs.ts';
import type { BenchResults } from './results.ts';
import { runScale } from './scale/run-scale.ts';
import { packageVersions } from './versions.ts';

const benchDir = join(import.meta.dirname, '..');
const repoRoot = join(benchDir, '..');
const log = (line: string) => console.log(line);

function build(): void {
  log('building the workspace packages the benchmark imports (turbo, cached) ...');
  try {
    execFileSync(
      'pnpm',
      [
        'exec',
        'turbo',
        'run',
        'build',
        '--filter=@hallpass/bench^...',
        '--output-logs=errors-only',
        '--continue',
      ],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
  } catch {
    // A store package that does not build yet is reported as skipped below, not fatal here.
    log('some packages failed to build: their contenders will be reported as unavailable');
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const resultsDir = join(benchDir, 'results');
  const fullJson = join(resultsDir, 'full.json');
  if (options.reportOnly) {
    const results = JSON.parse(await readFile(fullJson, 'utf8')) as BenchResults;
    await writeDocs(results, repoRoot);
    log('docs/benchmarks.md and docs/benchmarks.svg regenerated from bench/results/full.json');
    return 0;
  }
  if (!options.noBuild) build();

  const started = Date.now();
  const backends = BACKENDS.filter((b) => !options.backends || options.backends.has(b.name));
  const needs = new Set(backends.flatMap((b) => b.servers));
  const dataDir = await mkdtemp(join(tmpdir(), 'hallpass-bench-'));
  const servers: ThrowawayServer[] = [];
  const failures: string[] = [];
  const results: BenchResults = {
    profile: options.profile.name,
    startedAt: new Date(started).toISOString(),
    finishedAt: '',
    durationSec: 0,
    machine: {
      cpus: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${process.platform} ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`,
      node: process.version,
      loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
      startedBusy: startedBusy(loadavg()[0] ?? 0),
      busyRule: BUSY_RULE,
    },
    settings: {
      sessions: options.profile.sessions,
      connections: options.profile.connections,
      warmupSec: options.profile.warmupSec,
      rounds: options.profile.rounds,
      roundSec: options.profile.roundSec,
      microOps: options.profile.microOps,
      microBudgetMs: options.profile.microBudgetMs,
      microRepetitions: options.profile.microRepetitions,
      microConcurrency: options.profile.microConcurrency,
      s4Sessions: options.profile.s4Sessions,
      s4WarmupRequests: options.profile.s4WarmupRequests,
      s4RoundRequests: options.profile.s4RoundRequests,
      probeRequests: options.profile.probeRequests,
    },
    versions: packageVersions(benchDir),
    notes: [
      'MongoDB not measured: no mongod on this machine, and the in-process wire-protocol test server would measure that fake.',
    ],
    http: [],
    micro: [],
    microSkipped: [],
    scale: [],
    failures,
  };

  let redisUrl: string | null = null;
  let redisClusterNodes: BackendEnv['redisClusterNodes'] = null;
  let postgresUrl: string | null = null;
  let mysqlUrl: string | null = null;
  try {
    if (needs.has('redis')) {
      const redis = await startRedis();
      servers.push(redis);
      redisUrl = redis.url;
      log(`throwaway redis-server at ${redis.url}`);
    }
    if (needs.has('redis-cluster')) {
      const cluster = await startRedisCluster();
      servers.push(cluster);
      redisClusterNodes = cluster.nodes;
      log(`throwaway redis cluster at ${cluster.nodes.map((n) => n.port).join(', ')}`);
    }
    if (needs.has('postgres')) {
      const pg = await startPostgres();
      servers.push(pg);
      postgresUrl = pg.url;
      log(`throwaway postgres at ${pg.url}`);
    }
    if (needs.has('mysql')) {
      const mariadb = await startMariadb();
      servers.push(mariadb);
      mysqlUrl = mariadb.url;
      log(`throwaway mariadbd at ${mariadb.url}`);
    }
    const env = (namespace: string): BackendEnv => ({
      redisUrl,
      redisClusterNodes,
      postgresUrl,
      mysqlUrl,
      dataDir,
      namespace,
    });

    if (options.sections.has('http')) {
      log(`HTTP scenarios (${options.profile.name}) ...`);
      results.http = await runHttp({ options, backends, env, log });
      for (const cell of results.http) {
        if (cell.status === 'failed')
          failures.push(`${cell.scenario} ${cell.label}: ${cell.reason}`);
      }
    }
    if (options.sections.has('micro')) {
      log('store microbenchmark ...');
      const micro = await runMicro({ options, backends, env, log });
      results.micro = micro.results;
      results.microSkipped = micro.skipped;
      failures.push(...micro.failures);
    }
    if (options.sections.has('scale')) {
      log('scale checks ...');
      const scale = await runScale({ options, backends, env, log });
      results.scale = scale.results;
      failures.push(...scale.failures);
    }
  } catch (error) {
    failures.push(`run aborted: ${(error as Error).stack ?? error}`);
  } finally {
    for (const server of servers.reverse()) await server.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }

  results.finishedAt = new Date().toISOString();
  results.durationSec = Math.round((Date.now() - started) / 1000);
  const isFull =
    options.profile.name === 'full' &&
    !options.backends &&
    !options.scenarios &&
    options.sections.size === 3;
  const outDir = isFull ? resultsDir : join(resultsDir, 'tmp');
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, isFull ? 'full.json' : `${options.profile.name}.json`);
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${out} (${results.durationSec} s)`);
  if (isFull) {
    await writeDocs(results, repoRoot);
    log('docs/benchmarks.md and docs/benchmarks.svg written');
  }
  if (results.machine.startedBusy) {
    log(
      `the machine was busy when the run started (load ${results.machine.loadAverageAtStart.join(', ')}): numbers are not results`,
    );
  }
  const busyCells = results.http.filter((c) => (c.busyRounds ?? 0) > 0);
  if (busyCells.length > 0) {
    log(`${busyCells.length} cell(s) had rounds measured on a busy machine (${BUSY_RULE})`);
  }
  const skipped = results.http.filter((c) => c.status === 'skipped');
  for (const cell of skipped) log(`skipped: ${cell.scenario} ${cell.label}: ${cell.reason}`);
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

// Ctrl-C: leave through process.exit so the throwaway servers are killed (see servers.ts).
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
