/**
 * Which MongoDB servers the suite runs against:
 * - always the in-process wire-protocol test server (test/server), so `pnpm test` and CI run
 *   the full suite without a mongod binary;
 * - in addition, the server at HALLPASS_MONGODB_URL when that variable is set. Under CI=true an
 *   unreachable URL fails the run with instructions; elsewhere it is skipped with the reason.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoWireServer } from '../server/index.js';

export interface Target {
  /** Shown in test names: which server the results are about. */
  label: string;
  url: string;
  /** The in-process server, for tests that stop and restart it; undefined for a real server. */
  server: MongoWireServer | undefined;
  stop(): Promise<void>;
}

const HOW_TO_FIX =
  'start MongoDB there, or unset HALLPASS_MONGODB_URL to run only against the in-process test server';

export async function resolveTargets(): Promise<Target[]> {
  const server = new MongoWireServer();
  const targets: Target[] = [
    {
      label: 'wire test server',
      url: await server.start(),
      server,
      stop: () => server.stop(),
    },
  ];
  const url = process.env.HALLPASS_MONGODB_URL;
  if (url) {
    const problem = await unreachable(url);
    if (!problem) {
      targets.push({ label: 'HALLPASS_MONGODB_URL', url, server: undefined, stop: async () => {} });
    } else if (process.env.CI === 'true') {
      throw new Error(
        `MongoDB at HALLPASS_MONGODB_URL is not reachable: ${problem}; ${HOW_TO_FIX}`,
      );
    } else {
      console.warn(`skipping the HALLPASS_MONGODB_URL run: ${problem}; ${HOW_TO_FIX}`);
    }
  }
  return targets;
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return undefined;
  } catch (error) {
    return String(error);
  } finally {
    await client.close().catch(() => {});
  }
}

/** A database of its own per test file and run, dropped afterwards. */
export function uniqueDatabase(): string {
  return `hallpass_test_${randomBytes(6).toString('hex')}`;
}
