/**
 * The server under test: one process per contender, serving one scenario at a time. For each
 * `setup` it builds a fresh store, seeds it, wraps it in call counters and listens on a new
 * free port; `stats` reports requests and store calls; `teardown` closes the server and the
 * store (dropping its table or keys). Keeping the process across scenarios saves start-up
 * time only: no state survives a teardown.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { contenderById } from '../backends/index.ts';
import { type BackendEnv, type Built, NotAvailableError } from '../backends/types.ts';
import { fail, reply } from '../infra/child.ts';
import { type BulkTarget, bulkInsert, countBulk, sqliteFile } from '../scale/bulk.ts';
import { expressCeiling, expressSessionApp, hallpassApp, nodeCeiling } from './apps.ts';
import {
  type CallCounts,
  countCalls,
  EXPRESS_SESSION_READS,
  EXPRESS_SESSION_WRITES,
  HALLPASS_READS,
  HALLPASS_WRITES,
} from './counting.ts';
import { countSocketsTo, countStatements, roundTrips } from './round-trips.ts';
import { S4_RETURN_GAP_MS, scenarioById } from './scenarios.ts';
import { fakeCookies, seedExpressSession, seedHallpass } from './seed.ts';

export interface SetupMessage {
  type: 'setup';
  contenderId: string;
  scenario: string;
  sessions: number;
  cookieFile: string;
  env: BackendEnv;
}

interface Current {
  setup: SetupMessage;
  server: Server;
  built: Built | null;
  counts: CallCounts;
  requests: number;
  failures: number;
  /** S4: the virtual time the injected clock has advanced (0 on the wall clock). */
  virtualMs: () => number;
  port: number;
  cookies: string[];
}

let current: Current | null = null;

async function setup(message: SetupMessage): Promise<void> {
  const scenario = scenarioById(message.scenario);
  const counts: CallCounts = { reads: 0, writes: 0, written: new Set() };
  let built: Built | null = null;
  let listener: ReturnType<typeof nodeCeiling>;
  let cookies: string[] = [];
  countSocketsTo([
    message.env.redisUrl,
    message.env.postgresUrl,
    message.env.mysqlUrl,
    ...(message.env.redisClusterNodes ?? []).map(({ host, port }) => `redis://${host}:${port}`),
  ]);
  // S4's clock advances by a fixed step per request, so a cell covers many touchAfter
  // periods in seconds (see S4_RETURN_GAP_MS); the wall clock everywhere else.
  let served = 0;
  const clockStart = Date.now();
  const stepMs = S4_RETURN_GAP_MS / Math.max(1, message.sessions);
  const clock = scenario.id === 'S4' ? () => clockStart + served * stepMs : undefined;

  if (message.contenderId.startsWith('ceiling/')) {
    listener = message.contenderId === 'ceiling/node-http' ? nodeCeiling() : expressCeiling();
    if (scenario.withCookie) cookies = fakeCookies(message.sessions);
  } else {
    try {
      built = await contenderById(message.contenderId).build(message.env);
    } catch (error) {
      if (error instanceof NotAvailableError) {
        reply({ type: 'unavailable', reason: error.message });
        return;
      }
      throw error;
    }
    if (built.sqlite) countStatements(built.sqlite);
    if (built.library === 'hallpass') {
      if (scenario.withCookie)
        cookies = await seedHallpass(built.store, message.sessions, scenario);
      countCalls(built.store, counts, HALLPASS_READS, HALLPASS_WRITES);
      listener = hallpassApp(built.store, scenario, clock);
    } else {
      if (scenario.withCookie) {
        cookies = await seedExpressSession(built.store, message.sessions, scenario);
      }
      countCalls(built.store, counts, EXPRESS_SESSION_READS, EXPRESS_SESSION_WRITES);
      listener = expressSessionApp(built.store, scenario);
    }
  }
  await writeFile(message.cookieFile, cookies.join('\n'));

  const server = createServer(listener);
  const state: Current = {
    setup: message,
    server,
    built,
    counts,
    requests: 0,
    failures: 0,
    virtualMs: () => (clock ? clock() - clockStart : 0),
    port: 0,
    cookies,
  };
  server.prependListener('request', (_req, res) => {
    served++;
    state.requests++;
    res.on('finish', () => {
      if (res.statusCode >= 400) state.failures++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  current = state;
  reply({ type: 'ready', port: state.port });
}

/**
 * For the SQL cleanup check: fills the hallpass store's table with expired rows, and later
 * runs the store's own batched cleanup while the parent keeps serving load.
 */
function bulkTarget(state: Current): BulkTarget {
  const { env } = state.setup;
  const backend = state.setup.contenderId.split('/')[0] as string;
  const table =
    backend === 'postgres' || backend === 'mysql' ? `hp_${env.namespace}` : 'hallpass_sessions';
  return { backend, env, table, file: sqliteFile(env, 'hallpass') };
}

async function bulkExpired(count: number): Promise<void> {
  const state = current;
  if (state?.built?.library !== 'hallpass') throw new Error('bulk-expired needs a hallpass store');
  await bulkInsert(bulkTarget(state), 0, count, { expired: true, users: 250_000 });
  reply({ type: 'bulk-done' });
}

/**
 * Store round trips per request: `count` requests one at a time, sent from this process (the
 * HTTP client's sockets are not the database's, so they are not counted).
 */
async function probe(count: number): Promise<void> {
  const state = current;
  if (!state) throw new Error('probe before setup');
  const before = { trips: roundTrips.count, requests: state.requests };
  for (let i = 0; i < count; i++) {
    const cookie = state.cookies[Math.floor(Math.random() * state.cookies.length)];
    const response = await fetch(`http://127.0.0.1:${state.port}/`, {
      headers: cookie ? { cookie } : {},
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`probe request answered ${response.status}`);
  }
  const requests = state.requests - before.requests;
  reply({ type: 'probed', perRequest: (roundTrips.count - before.trips) / Math.max(1, requests) });
}

let stopCleanup: AbortController | null = null;

/** Starts the store's own cleanup; `cleanup-stop` aborts it between batches. */
function cleanup(): void {
  const state = current;
  const store = state?.built?.store as
    | { deleteExpired?: (o: { signal: AbortSignal }) => Promise<number> }
    | undefined;
  if (!state || !store?.deleteExpired) throw new Error('this store has no deleteExpired');
  const started = performance.now();
  const controller = new AbortController();
  stopCleanup = controller;
  const finish = async (finished: boolean) => {
    const remaining = await countBulk(bulkTarget(state));
    reply({
      type: 'cleanup-done',
      finished,
      remaining,
      seconds: (performance.now() - started) / 1000,
    });
  };
  store.deleteExpired({ signal: controller.signal }).then(
    () => finish(true),
    (error: unknown) => (controller.signal.aborted ? finish(false) : fail(error)),
  );
  reply({ type: 'cleanup-started' });
}

async function teardown(): Promise<void> {
  const state = current;
  current = null;
  if (state) {
    state.server.closeAllConnections();
    await new Promise<void>((resolve) => state.server.close(() => resolve()));
    await state.built?.close();
  }
  reply({ type: 'torn-down' });
}

process.on('message', async (message: { type: string }) => {
  try {
    if (message.type === 'setup') await setup(message as SetupMessage);
    else if (message.type === 'teardown') await teardown();
    else if (message.type === 'bulk-expired')
      await bulkExpired((message as unknown as { count: number }).count);
    else if (message.type === 'cleanup') cleanup();
    else if (message.type === 'probe') await probe((message as unknown as { count: number }).count);
    else if (message.type === 'cleanup-stop') stopCleanup?.abort();
    else if (message.type === 'stats') {
      const { requests = 0, failures = 0, counts } = current ?? {};
      const { user, system } = process.cpuUsage();
      reply({
        type: 'stats',
        requests,
        failures,
        reads: counts?.reads ?? 0,
        writes: counts?.writes ?? 0,
        distinctWritten: counts?.written.size ?? 0,
        roundTrips: roundTrips.count,
        virtualMs: current?.virtualMs() ?? 0,
        cpuMicros: user + system,
      });
    } else if (message.type === 'stop') {
      // Leave through the normal exit path so --cpu-prof can write its profile.
      process.disconnect();
    }
  } catch (error) {
    fail(error);
  }
});
process.on('unhandledRejection', fail);
