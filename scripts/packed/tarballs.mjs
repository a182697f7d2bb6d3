// The workspace's published packages as the registry would get them: `pnpm pack` of every
// non-private workspace package (found through pnpm, so new packages are included), and the
// checks every tarball must pass to be registry-ready.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const REPOSITORY = 'https://github.com/hallpass/hallpass';

/** Every workspace project (the root included), as pnpm lists them: { name, path, private }. */
export function workspaceProjects() {
  return JSON.parse(
    execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: ROOT, encoding: 'utf8' }),
  );
}

/** Every non-private workspace package: { name, dir (relative to the root) }. */
export function publishedPackages() {
  return workspaceProjects()
    .filter((project) => !project.private)
    .map((project) => ({ name: project.name, dir: relative(ROOT, project.path) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds (turbo cache) and packs every published package into `dest`; returns their tarballs. */
export function packWorkspace(dest) {
  mkdirSync(dest, { recursive: true });
  const packages = publishedPackages();
  const filters = packages.flatMap((pkg) => [`--filter=${pkg.name}`]);
  console.log(`packing ${packages.length} packages: ${packages.map((pkg) => pkg.name).join(', ')}`);
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return packages.map((pkg) => {
    const before = new Set(readdirSync(dest));
    execFileSync('pnpm', ['pack', '--pack-destination', dest], {
      cwd: join(ROOT, pkg.dir),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(dest).find((file) => !before.has(file) && file.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${pkg.name}`);
    return { ...pkg, tarball: join(dest, tarball) };
  });
}

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;
const MARKDOWN_LINK = /\]\(([^)\s]+)[^)]*\)/g;

/** What keeps a packed package from being registry-ready; [] when nothing does. */
export function tarballProblems(pkg) {
  const dir = mkdtempSync(join(tmpdir(), 'hallpass-tarball-'));
  try {
    execFileSync('tar', ['-xzf', pkg.tarball, '-C', dir]);
    const root = join(dir, 'package');
    const files = listFiles(root);
    const problems = [];
    for (const required of ['LICENSE', 'README.md', 'package.json']) {
      if (!files.includes(required)) problems.push(`${required} is not in the tarball`);
    }
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const repository = manifest.repository ?? {};
    if (repository.url !== `git+${REPOSITORY}.git`) {
      problems.push(`repository.url is ${repository.url}, not git+${REPOSITORY}.git`);
    }
    if (repository.directory !== pkg.dir) {
      problems.push(`repository.directory is ${repository.directory}, not ${pkg.dir}`);
    }
    if (!manifest.homepage?.startsWith(REPOSITORY)) problems.push('homepage is missing');
    if (!manifest.bugs?.url?.startsWith(REPOSITORY)) problems.push('bugs.url is missing');
    if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) {
      problems.push('keywords are missing');
    }
    if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}`);
    if (files.includes('README.md')) {
      // The registry shows the README away from the repository: relative links are dead there.
      for (const [, target] of readFileSync(join(root, 'README.md'), 'utf8').matchAll(
        MARKDOWN_LINK,
      )) {
        if (!/^(https?:|mailto:|#)/.test(target)) problems.push(`README.md links to ${target}`);
      }
    }
    for (const file of files.filter((name) => /^dist\/.*\.(c|m)?js$/.test(name))) {
      for (const [, specifier] of readFileSync(join(root, file), 'utf8').matchAll(SPECIFIER)) {
        if (BUILTINS.has(specifier)) problems.push(`${file} imports '${specifier}' without node:`);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}
