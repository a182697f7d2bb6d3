/**
 * Dependency audit for the published packages, failing on high or critical advisories in what
 * they install at run time (dependencies and peer dependencies, followed transitively through
 * node_modules).
 *
 * It asks the registry first (`pnpm audit --prod`). When the audit endpoint cannot be reached
 * (offline CI, a registry or mirror that answers 405) it falls back to the checked-in, dated
 * snapshot reliability/advisories.json. The snapshot says which packages it covers; a runtime
 * package it does not cover is reported as UNAUDITED, by name, because "no advisory in the
 * snapshot" about a package nobody looked up means nothing. Either way the verdict is written
 * to reliability/.audit-summary.json, whose `line` scripts/test-summary.mjs prints in CI's summary.
 *
 *   node reliability/scripts/audit-dependencies.ts             # exit 1 on a high/critical finding
 *   HALLPASS_AUDIT_STRICT=1 node ...                           # also exit 1 on unaudited packages
 *   node reliability/scripts/audit-dependencies.ts --refresh   # rewrite the snapshot from the registry
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

export type Severity = 'low' | 'moderate' | 'high' | 'critical';

export interface Advisory {
  id: string;
  package: string;
  /** An npm semver range, as advisories write them: `<7.1.2`, `>=4.0.0 <4.1.0 || <3.2.6`. */
  vulnerable: string;
  severity: Severity;
  title: string;
  /** Where this entry was read (the advisory page, or a public page quoting it). */
  source: string;
}

export interface Snapshot {
  /** The day the advisory record was read (YYYY-MM-DD). */
  date: string;
  /** How the snapshot was made, in one sentence. */
  method: string;
  /** Packages whose advisories were looked up on `date`; any other package is unaudited. */
  covers: string[];
  advisories: Advisory[];
}

export interface Installed {
  name: string;
  version: string;
  /** Which published package brought it in. */
  via: string;
  /** Declared by a published package itself (not pulled in by another dependency). */
  direct: boolean;
}

export interface AuditSummary {
  source: 'registry' | 'snapshot';
  /** Date of the snapshot used (snapshot source only). */
  snapshotDate?: string;
  /** Why the registry was not used (snapshot source only). */
  registryError?: string;
  runtimePackages: number;
  findings: string[];
  /** `name@version` of runtime packages the snapshot does not cover (snapshot source only). */
  unaudited: string[];
  ok: boolean;
}

/** Whether `version` lies inside an advisory's range (prereleases included). */
export function inRange(version: string, range: string): boolean {
  return semver.satisfies(version, range, { includePrerelease: true });
}

/** Installed packages matching a high or critical advisory. */
export function findings(installed: Installed[], advisories: Advisory[]): string[] {
  const serious = advisories.filter((a) => a.severity === 'high' || a.severity === 'critical');
  return installed.flatMap((pkg) =>
    serious
      .filter((a) => a.package === pkg.name && inRange(pkg.version, a.vulnerable))
      .map((a) => `${pkg.name}@${pkg.version} (via ${pkg.via}): ${a.severity} ${a.id} ${a.title}`),
  );
}

/** Installed packages the snapshot did not look up, as `name@version`. */
export function unaudited(installed: Installed[], snapshot: Pick<Snapshot, 'covers'>): string[] {
  const covered = new Set(snapshot.covers);
  return installed
    .filter((pkg) => !covered.has(pkg.name))
    .map((pkg) => `${pkg.name}@${pkg.version}`)
    .sort();
}

/** The verdict on the snapshot path: high/critical findings fail; unaudited fails only if strict. */
export function snapshotVerdict(
  installed: Installed[],
  snapshot: Snapshot,
  options: { strict: boolean; registryError: string },
): AuditSummary {
  const found = findings(installed, snapshot.advisories);
  const missing = unaudited(installed, snapshot);
  return {
    source: 'snapshot',
    snapshotDate: snapshot.date,
    registryError: options.registryError,
    runtimePackages: installed.length,
    findings: found,
    unaudited: missing,
    ok: found.length === 0 && (!options.strict || missing.length === 0),
  };
}

/** One line for CI's summary: says plainly when the registry was not asked. */
export function summaryLine(summary: AuditSummary): string {
  const verdict = `${summary.findings.length} high/critical`;
  if (summary.source === 'registry') {
    return `dependency audit: registry (pnpm audit --prod), ${summary.runtimePackages} runtime packages, ${verdict}`;
  }
  const covered = summary.runtimePackages - summary.unaudited.length;
  return `dependency audit: REGISTRY UNREACHABLE, used the snapshot of ${summary.snapshotDate}: ${verdict}; covers ${covered} of ${summary.runtimePackages} runtime packages, ${summary.unaudited.length} UNAUDITED`;
}

/**
 * A snapshot from `pnpm audit --prod --json` output. The registry audits the whole production
 * lockfile, so every runtime package installed now is covered.
 */
export function snapshotFromRegistry(
  report: {
    advisories?: Record<
      string,
      {
        module_name: string;
        vulnerable_versions: string;
        severity: Severity;
        github_advisory_id?: string;
        url: string;
        title: string;
      }
    >;
  },
  installed: Installed[],
  date: string,
): Snapshot {
  return {
    date,
    method: 'pnpm audit --prod --json against the npm registry (covers the whole runtime tree)',
    covers: [...new Set(installed.map((pkg) => pkg.name))].sort(),
    advisories: Object.values(report.advisories ?? {}).map((a) => ({
      id: a.github_advisory_id ?? a.url,
      package: a.module_name,
      vulnerable: a.vulnerable_versions,
      severity: a.severity,
      title: a.title,
      source: a.url,
    })),
  };
}

/** Every package a published workspace package installs at run time, with its version. */
export function runtimeDependencies(root: string): Installed[] {
  const folders = [
    ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name)),
    join(root, 'conformance'),
  ];
  const seen = new Map<string, Installed>();
  const visit = (fromDir: string, name: string, via: string, direct: boolean) => {
    let manifestPath: string;
    try {
      manifestPath = createRequire(join(fromDir, 'noop.js')).resolve(`${name}/package.json`);
    } catch {
      manifestPath = findManifest(fromDir, name) ?? '';
      if (!manifestPath) return; // an optional peer that is not installed here
    }
    const real = realpathSync(manifestPath);
    const known = seen.get(real);
    if (known) {
      known.direct ||= direct;
      return;
    }
    const manifest = JSON.parse(readFileSync(real, 'utf8'));
    seen.set(real, { name: manifest.name, version: manifest.version, via, direct });
    for (const dep of Object.keys(manifest.dependencies ?? {}))
      visit(dirname(real), dep, via, false);
  };
  for (const folder of folders) {
    const manifestPath = join(folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const deps = { ...manifest.peerDependencies, ...manifest.dependencies };
    for (const dep of Object.keys(deps)) {
      if (dep.startsWith('@hallpass/')) continue;
      visit(folder, dep, manifest.name, true);
    }
  }
  return [...seen.values()];
}

/** Packages whose exports hide package.json: find it by walking node_modules folders upwards. */
function findManifest(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

type RegistryAnswer =
  | { reachable: true; ok: boolean; output: string }
  | { reachable: false; error: string };

/** The registry's verdict, or why its audit endpoint could not be used. */
function registryAudit(root: string, json = false): RegistryAnswer {
  const args = ['audit', '--prod', '--audit-level', 'high', ...(json ? ['--json'] : [])];
  try {
    const output = execFileSync('pnpm', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { reachable: true, ok: true, output };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const text = `${stdout}${stderr}`;
    const unreachable =
      /ERR_PNPM_AUDIT_BAD_RESPONSE|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|responded with \d{3}/.exec(
        text,
      );
    if (unreachable) {
      const line = text.split('\n').find((l) => l.includes(unreachable[0])) ?? unreachable[0];
      return { reachable: false, error: line.trim().slice(0, 200) };
    }
    return { reachable: true, ok: false, output: text };
  }
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '../..');
  const snapshotPath = join(here, '../advisories.json');
  const summaryPath = join(here, '../.audit-summary.json');
  const installed = runtimeDependencies(root);

  if (process.argv.includes('--refresh')) {
    const answer = registryAudit(root, true);
    if (!answer.reachable) {
      console.error(`cannot refresh the snapshot: ${answer.error}`);
      process.exit(2);
    }
    const date = new Date().toISOString().slice(0, 10);
    const snapshot = snapshotFromRegistry(JSON.parse(answer.output), installed, date);
    writeFileSync(snapshotPath, `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`wrote ${snapshotPath}: ${snapshot.advisories.length} advisories, ${date}`);
    return;
  }

  const answer: RegistryAnswer =
    process.env.HALLPASS_AUDIT_OFFLINE === '1'
      ? { reachable: false, error: 'HALLPASS_AUDIT_OFFLINE=1' }
      : registryAudit(root);
  let summary: AuditSummary;
  if (answer.reachable) {
    console.log(`registry audit (pnpm audit --prod --audit-level high):\n${answer.output}`);
    summary = {
      source: 'registry',
      runtimePackages: installed.length,
      findings: answer.ok ? [] : ['see the pnpm audit output above'],
      unaudited: [],
      ok: answer.ok,
    };
  } else {
    const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Snapshot;
    summary = snapshotVerdict(installed, snapshot, {
      strict: process.env.HALLPASS_AUDIT_STRICT === '1',
      registryError: answer.error,
    });
    console.log(`registry audit endpoint unusable (${answer.error})`);
    console.log(`falling back to reliability/advisories.json, dated ${snapshot.date}`);
    for (const line of summary.findings) console.error(`  FOUND ${line}`);
    if (summary.unaudited.length > 0) {
      console.log(`not covered by the snapshot (UNAUDITED): ${summary.unaudited.join(', ')}`);
    }
  }
  const line = summaryLine(summary);
  writeFileSync(summaryPath, `${JSON.stringify({ line, ...summary }, null, 2)}\n`);
  console.log(line);
  process.exit(summary.ok ? 0 : 1);
}

if (import.meta.main) main();
