// A page that tells the reader what to install must name everything its examples need: every
// package a checked TypeScript block imports, and the `@types/*` package a hallpass package
// declares as an optional peer for a driver the page installs (pg, better-sqlite3, koa ship no
// types of their own, and the hallpass declarations import them). Pages without an install
// line rely on getting-started's and are not checked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const INSTALL = /^\s*npm (?:install|i|add)\b(.*)$/;
const IMPORT = /\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** The packages the page's `npm install` lines name (flags and comments left out). */
export function installedPackages(blocks) {
  const names = new Set();
  for (const block of blocks) {
    if (!['sh', 'bash', 'shell', 'console'].includes(block.lang)) continue;
    for (const line of block.code.split('\n')) {
      const match = INSTALL.exec(line);
      if (!match || /--prefix\b/.test(line)) continue;
      for (const word of match[1].split('#')[0].trim().split(/\s+/)) {
        if (word && !word.startsWith('-')) names.add(packageName(word.replace(/@[^@/]*$/, '')));
      }
    }
  }
  return names;
}

/** The package a bare specifier loads (`@scope/name/sub` -> `@scope/name`), or null. */
export function packageName(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) {
    return null;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** What the page's checked blocks import or need but its install lines do not name. */
export function installProblems(blocks, checkedBlocks, workspace) {
  const installed = installedPackages(blocks);
  if (installed.size === 0) return [];
  const problems = [];
  for (const block of checkedBlocks) {
    for (const match of block.code.matchAll(IMPORT)) {
      const name = packageName(match[1] ?? match[2] ?? match[3]);
      if (name && !installed.has(name)) {
        problems.push({
          line: block.line,
          message: `imports ${name}, which no install line names`,
        });
      }
    }
  }
  for (const name of installed) {
    const manifest = workspace.get(name);
    if (!manifest) continue;
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      const driver = peer.startsWith('@types/') ? peer.slice('@types/'.length) : null;
      if (driver && installed.has(driver) && !installed.has(peer)) {
        problems.push({
          line: null,
          message: `installs ${name} and ${driver} but not ${peer} (${driver} ships no types)`,
        });
      }
    }
  }
  return problems;
}

/** Published workspace manifests by package name. */
export function workspaceManifests(projects) {
  const manifests = new Map();
  for (const project of projects) {
    const path = join(project.path, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    if (manifest.name) manifests.set(manifest.name, manifest);
  }
  return manifests;
}
