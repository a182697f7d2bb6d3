/**
 * Dependency audit for the published packages, failing on high or critical advisories in what
 * they install at run time (dependencies and peer dependencies, followed transitively through
 * node_modules). It asks the registry first (`pnpm audit --prod`); when the audit endpoint
 * cannot be reached (offline CI, a registry mirror without it) it falls back to the checked-in
 * reliability/advisories.json, and says which of the two it used.
 *
 *   node reliability/scripts/audit-dependencies.ts        # exit 1 on a high/critical finding
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Advisory {
  id: string;
  package: string;
  /** Space-separated comparators, all of which must hold: `<7.1.2`, `>=3.0.0 <3.6.4`. */
  vulnerable: string;
  severity: 'low' | 'moderate' | 'high' | 'critical';
  title: string;
}

export interface Installed {
  name: string;
  version: string;
  /** Which published package brought it in. */
  via: string;
}

type Triple = [number, number, number];

function parseVersion(version: string): Triple {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^[^\d]*/, '')
    .split(/[.+-]/)
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** Whether `version` satisfies every comparator of `range` (`<`, `<=`, `>`, `>=`, `=`). */
export function inRange(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const match = /^(<=|>=|<|>|=)?(.+)$/.exec(comparator);
      if (!match) return false;
      const order = compare(v, parseVersion(match[2] as string));
      switch (match[1]) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        default:
          return order === 0;
      }
    });
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

/** Every package a published workspace package installs at run time, with its version. */
export function runtimeDependencies(root: string): Installed[] {
  const folders = [
    ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name)),
    join(root, 'conformance'),
  ];
  const seen = new Map<string, Installed>();
  const visit = (fromDir: string, name: string, via: string) => {
    let manifestPath: string;
    try {
      manifestPath = createRequire(join(fromDir, 'noop.js')).resolve(`${name}/package.json`);
    } catch {
      manifestPath = findManifest(fromDir, name) ?? '';
      if (!manifestPath) return; // an optional peer that is not installed here
    }
    const real = realpathSync(manifestPath);
    if (seen.has(real)) return;
    const manifest = JSON.parse(readFileSync(real, 'utf8'));
    seen.set(real, { name: manifest.name, version: manifest.version, via });
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dirname(real), dep, via);
  };
  for (const folder of folders) {
    const manifestPath = join(folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const deps = { ...manifest.peerDependencies, ...manifest.dependencies };
    for (const dep of Object.keys(deps)) {
      if (dep.startsWith('@hallpass/')) continue;
      visit(folder, dep, manifest.name);
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

/** The registry's verdict, or undefined when its audit endpoint cannot be reached. */
function registryAudit(root: string): { ok: boolean; output: string } | undefined {
  try {
    const output = execFileSync('pnpm', ['audit', '--prod', '--audit-level', 'high'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { ok: true, output };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const text = `${stdout}${stderr}`;
    if (/ERR_PNPM_AUDIT_BAD_RESPONSE|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(text)) {
      return undefined;
    }
    return { ok: false, output: text };
  }
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '../..');
  const online = process.env.HALLPASS_AUDIT_OFFLINE === '1' ? undefined : registryAudit(root);
  if (online) {
    console.log(`registry audit (pnpm audit --prod --audit-level high):\n${online.output}`);
    process.exit(online.ok ? 0 : 1);
  }
  const { advisories } = JSON.parse(readFileSync(join(here, '../advisories.json'), 'utf8')) as {
    advisories: Advisory[];
  };
  const installed = runtimeDependencies(root);
  const found = findings(installed, advisories);
  console.log(
    `registry audit endpoint unreachable: checked ${installed.length} runtime packages against ${advisories.length} checked-in advisories (reliability/advisories.json)`,
  );
  for (const line of found) console.error(`  ${line}`);
  process.exit(found.length > 0 ? 1 : 0);
}

if (import.meta.main) main();
