import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MEASURED = [
  'express',
  'express-session',
  'memorystore',
  'connect-redis',
  'connect-pg-simple',
  'express-mysql-session',
  'better-sqlite3-session-store',
  'connect-mongo',
  'ioredis',
  'redis',
  'pg',
  'mysql2',
  'better-sqlite3',
  'autocannon',
];

/** Installed versions of the libraries being compared, recorded with every result. */
export function packageVersions(benchDir: string): Record<string, string> {
  const require = createRequire(join(benchDir, 'package.json'));
  const versions: Record<string, string> = {};
  for (const name of MEASURED) {
    try {
      const manifest = join(benchDir, 'node_modules', name, 'package.json');
      versions[name] = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  try {
    const core = require.resolve('@hallpass/core/package.json');
    versions['@hallpass/core'] = (
      JSON.parse(readFileSync(core, 'utf8')) as { version: string }
    ).version;
  } catch {
    versions['@hallpass/core'] = 'unknown';
  }
  return versions;
}
