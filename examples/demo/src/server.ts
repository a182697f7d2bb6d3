import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app.ts';
import { configFromEnv, type DemoConfig } from './config.ts';
import { openStore } from './stores.ts';

export interface RunningDemo {
  url: string;
  /** Where sessions are kept, without credentials. */
  storeLabel: string;
  manager: ReturnType<typeof createDemoApp>['manager'];
  close(): Promise<void>;
}

/** Opens the configured store and serves the demo; resolves once it listens. */
export async function startDemo(config: DemoConfig): Promise<RunningDemo> {
  mkdirSync(config.dataDir, { recursive: true });
  const opened = await openStore(config.store, config.dataDir, config.namespace);
  const { app, manager } = createDemoApp(config, opened);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    storeLabel: opened.label,
    manager,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
    },
  };
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const demo = await startDemo(config);
  console.log(`hallpass demo: ${demo.url}`);
  console.log(
    `  sessions in ${demo.storeLabel}; lifetime ${config.lifetime}, idle timeout ${config.idleTimeout} (HALLPASS_DEMO_* to change)`,
  );
  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(
      `hallpass demo could not start: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  });
}
