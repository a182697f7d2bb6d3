// Docs as tests. Every fenced TypeScript block in README.md, docs/**/*.md and the README of every
// workspace package is either
//   - type-checked in a fresh npm project against the packed tarballs (strict,
//     exactOptionalPropertyTypes, module nodenext; scripts/packed/project.mjs), and, when it starts
//     a server (`.listen(` or `serve(`), run and sent requests (GET / 200 unless a
//     `<!-- requests: ... -->` marker says otherwise), or
//   - marked `<!-- fragment: reason -->` just before the block.
// A block may name preludes (`<!-- prelude: sessions express-app -->`, scripts/docs/preludes/) that
// declare what it assumes. scripts/docs/guards/*.ts are type-checked with the blocks. Blocks and
// packages are discovered, so new docs are checked without editing this file. A page with an
// `npm install` line must name there every package its checked blocks import (docs/install-lines.mjs).
// Run it through scripts/toolchain.sh (PostgreSQL and Redis as for the tests; MongoDB examples use
// MONGODB_URL, or the MongoDB package's wire-protocol test server when it is not set).
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { extractBlocks, parseRequests } from './docs/blocks.mjs';
import { installProblems, workspaceManifests } from './docs/install-lines.mjs';
import { allPinnedNames, compileProject, createProject } from './packed/project.mjs';
import { deleteExampleKeys, exampleRedisPrefix } from './packed/redis-keys.mjs';
import { serveAndRequest } from './packed/serve.mjs';
import { packWorkspace, ROOT, workspaceProjects } from './packed/tarballs.mjs';

const PRELUDES = join(ROOT, 'scripts/docs/preludes');
const GUARDS = join(ROOT, 'scripts/docs/guards');
const SERVER_START = /\.listen\(|\bserve\(/;

/** README.md, docs/**\/*.md and every workspace package's README.md. */
function documents() {
  const files = [join(ROOT, 'README.md'), ...markdownUnder(join(ROOT, 'docs'))];
  for (const project of workspaceProjects()) {
    const readme = join(project.path, 'README.md');
    if (project.path !== ROOT && existsSync(readme)) files.push(readme);
  }
  return files;
}

function markdownUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const failures = [];
const fail = (where, message) => failures.push(`${where}: ${message}`);

const work = mkdtempSync(join(tmpdir(), 'hallpass-docs-'));
const cleanups = [];
try {
  // 1. Collect the blocks.
  const checked = [];
  let fragments = 0;
  const manifests = workspaceManifests(workspaceProjects());
  for (const file of documents()) {
    const blocks = extractBlocks(file);
    const checkedHere = checked.length;
    for (const block of blocks) {
      if (block.lang !== 'ts') continue;
      const where = `${relative(ROOT, file)}:${block.line}`;
      if ('fragment' in block.markers) {
        if (!block.markers.fragment) fail(where, 'a fragment marker needs a reason');
        fragments++;
        continue;
      }
      const preludes = (block.markers.prelude ?? '').split(/\s+/).filter(Boolean);
      let prefix = '';
      for (const name of preludes) {
        const path = join(PRELUDES, `${name}.ts`);
        if (!existsSync(path)) fail(where, `no prelude ${name} in scripts/docs/preludes`);
        else prefix += readFileSync(path, 'utf8');
      }
      const name = `${relative(ROOT, file).replace(/[^\w]+/g, '-')}-${block.line}`;
      checked.push({ ...block, where, name, prefix, complete: SERVER_START.test(block.code) });
    }
    // The page's install lines name everything its checked examples import.
    for (const problem of installProblems(blocks, checked.slice(checkedHere), manifests)) {
      fail(`${relative(ROOT, file)}${problem.line ? `:${problem.line}` : ''}`, problem.message);
    }
  }
  console.log(
    `${checked.length + fragments} TypeScript blocks: ${checked.length} checked ` +
      `(${checked.filter((block) => block.complete).length} complete servers), ${fragments} marked as fragments`,
  );

  // 2. One fresh project against the tarballs; every block a module of its own.
  const packed = packWorkspace(join(work, 'tarballs'));
  const project = join(work, 'project');
  createProject(
    project,
    packed.map((pkg) => pkg.tarball),
    allPinnedNames(),
  );
  for (const block of checked) {
    writeFileSync(join(project, 'src', `${block.name}.ts`), `${block.prefix}${block.code}`);
  }
  mkdirSync(join(project, 'src/guards'));
  for (const guard of readdirSync(GUARDS))
    copyFileSync(join(GUARDS, guard), join(project, 'src/guards', guard));

  // 3. Type-check; report each error at its place in the Markdown file.
  const output = compileProject(project);
  const byName = new Map(checked.map((block) => [block.name, block]));
  for (const line of output.split('\n')) {
    const match = /^src\/([^(]+)\.ts\((\d+),(\d+)\): (error .*)$/.exec(line.trim());
    if (!match) {
      // Errors in hallpass's own declaration files (skipLibCheck is off for them), or in tsc
      // itself; other libraries' declarations are theirs to keep (hono's need the DOM lib).
      const foreign =
        /^node_modules\//.test(line.trim()) && !line.includes('node_modules/@hallpass/');
      if (/error TS\d+/.test(line) && !foreign) fail('tsc', line.trim());
      continue;
    }
    const block = byName.get(match[1]);
    if (!block) {
      fail(`scripts/docs/guards/${basename(match[1])}.ts:${match[2]}`, match[4]);
      continue;
    }
    block.failed = true;
    const offset = Number(match[2]) - block.prefix.split('\n').length;
    const where =
      offset >= 0
        ? `${relative(ROOT, block.file)}:${block.line + offset}`
        : `${block.where} (in a prelude)`;
    fail(where, match[4]);
  }
  if (output && !/error TS\d+/.test(output)) fail('tsc', output);

  // 4. Run every complete example that type-checked and send it its requests.
  const env = await serverEnvironment(project, cleanups);
  for (const block of checked.filter((candidate) => candidate.complete && !candidate.failed)) {
    const cwd = mkdtempSync(join(work, 'run-'));
    const requests = block.markers.requests
      ? parseRequests(block.markers.requests)
      : [{ method: 'GET', path: '/', status: 200 }];
    const problems = await serveAndRequest({
      nodeBinary: process.execPath,
      file: join(project, 'out', `${block.name}.js`),
      cwd,
      env,
      requests,
    });
    for (const problem of problems) fail(block.where, problem);
    if (problems.length === 0) {
      console.log(
        `ok   ${block.where}: serves ${requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`,
      );
    }
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.error(
    `check-docs: ${failures.length} problem(s). Fix the block, or mark it <!-- fragment: reason --> if it cannot stand alone.`,
  );
  process.exit(1);
}
console.log(
  'check-docs: every documented TypeScript block type-checks, and every complete example serves',
);

/**
 * REDIS_URL (and a Redis key prefix of its own), DATABASE_URL (a PostgreSQL schema of its own), MYSQL_URL (a MySQL/MariaDB database
 * of its own) and MONGODB_URL for the examples.
 */
async function serverEnvironment(project, cleanups) {
  const require = createRequire(join(project, 'package.json'));
  const env = { REDIS_URL: process.env.HALLPASS_REDIS_URL ?? 'redis://127.0.0.1:6379' };
  // A RedisStore built without a prefix (as the examples do) gets this run's, not `hallpass`
  // (scripts/packed/redis-prefix-hook.mjs); its keys are deleted at the end.
  env.HALLPASS_EXAMPLE_REDIS_PREFIX = exampleRedisPrefix();
  cleanups.push(async () => {
    const deleted = await deleteExampleKeys(project, env.HALLPASS_EXAMPLE_REDIS_PREFIX);
    console.log(
      `deleted the examples' ${deleted} Redis keys (${env.HALLPASS_EXAMPLE_REDIS_PREFIX}:*)`,
    );
  });

  const pg = require('pg');
  const base = process.env.HALLPASS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `hallpass_docs_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  env.DATABASE_URL = url.toString();

  const mysql = require('mysql2/promise');
  const mysqlBase = process.env.HALLPASS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const database = `hallpass_docs_${randomBytes(6).toString('hex')}`;
  const mysqlAdmin = await mysql.createConnection(mysqlBase);
  await mysqlAdmin.query(`CREATE DATABASE ${database}`);
  await mysqlAdmin.end();
  cleanups.push(async () => {
    const connection = await mysql.createConnection(mysqlBase);
    await connection.query(`DROP DATABASE ${database}`);
    await connection.end();
  });
  const mysqlUrl = new URL(mysqlBase);
  mysqlUrl.pathname = `/${database}`;
  env.MYSQL_URL = mysqlUrl.toString();

  if (process.env.MONGODB_URL) {
    env.MONGODB_URL = process.env.MONGODB_URL;
  } else {
    const server = await startMongoWireServer();
    const url = new URL(server.url);
    url.pathname = '/hallpass_docs';
    env.MONGODB_URL = url.toString();
    cleanups.push(() => server.stop());
  }
  return env;
}

/** No mongod here: the MongoDB package's wire-protocol test server, bundled with esbuild. */
async function startMongoWireServer() {
  const mongodbPackage = join(ROOT, 'packages/mongodb');
  const require = createRequire(join(ROOT, 'package.json'));
  const esbuild = require(require.resolve('esbuild', { paths: [require.resolve('tsup')] }));
  const outfile = join(mongodbPackage, 'node_modules/.cache/hallpass-docs/wire-server.mjs');
  await esbuild.build({
    entryPoints: [join(mongodbPackage, 'test/server/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  const { MongoWireServer } = await import(outfile);
  const server = new MongoWireServer();
  await server.start();
  return server;
}
