import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoConfig } from '../../src/config.ts';
import { type RunningDemo, startDemo } from '../../src/server.ts';

/** Starts the demo on a free port, by default with a data directory of its own that close() removes. */
export async function startTestDemo(overrides: Partial<DemoConfig> = {}): Promise<RunningDemo> {
  const ownDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'hallpass-demo-test-'));
  const demo = await startDemo({
    host: 'localhost',
    port: 0,
    store: 'sqlite',
    dataDir,
    lifetime: '15m',
    idleTimeout: '2m',
    secureCookie: true,
    ...overrides,
  });
  return {
    ...demo,
    async close() {
      await demo.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
