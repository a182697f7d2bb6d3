// A fresh npm project outside the workspace, as a user would have one: plain `npm install` of
// the packed tarballs and of registry packages, `"type": "module"`, and a strict tsconfig.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PINNED = JSON.parse(readFileSync(new URL('./project-deps.json', import.meta.url), 'utf8'));

/** The compiler options a careful user's project has; documented blocks must pass them. */
export const STRICT_TSCONFIG = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2023',
    lib: ['es2023'],
    types: ['node'],
    moduleDetection: 'force',
    // Our own .d.ts files are part of what is checked (e.g. augmentations that clash).
    skipLibCheck: false,
    rootDir: 'src',
    outDir: 'out',
  },
  include: ['src'],
};

/**
 * Creates `dir` with package.json (`"type": "module"`) and tsconfig.json, then installs the given
 * tarballs and the named registry packages (versions from project-deps.json) with npm.
 */
export function createProject(dir, tarballs, names) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'hallpass-user-project', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(STRICT_TSCONFIG, null, 2)}\n`);
  const pinned = { ...PINNED.dependencies, ...PINNED.devDependencies };
  const specs = names.map((name) => {
    if (!pinned[name]) throw new Error(`${name} has no pinned version in project-deps.json`);
    return `${name}@${pinned[name]}`;
  });
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...specs],
    { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

/** Every registry package project-deps.json pins. */
export function allPinnedNames() {
  return Object.keys({ ...PINNED.dependencies, ...PINNED.devDependencies });
}

/** Type-checks and compiles the project's src/ to out/; returns tsc's output ('' when clean). */
export function compileProject(dir) {
  try {
    execFileSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error);
  }
}
