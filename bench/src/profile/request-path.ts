/**
 * hallpass's own CPU per request, without sockets or a load generator: requests go through the
 * Node middleware (`manager.middleware()`) on in-memory IncomingMessage/ServerResponse pairs,
 * with the benchmark's handler and a seeded MemoryStore. The same requests without the
 * middleware (the handler alone on the same pairs) are the baseline; the difference is what
 * `@hallpass/core`, `@hallpass/memory` and the adapter cost per request. The two alternate
 * round by round, so a busy minute hurts both. For profiling and before/after comparisons of
 * the request path, not for publication (docs/benchmarks.md comes from `pnpm bench`).
 *
 *   node bench/src/profile/request-path.ts S2 [requests per round] [rounds]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/src/profile/request-path.ts S2 200000 1 hallpass
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { COOKIE_NAME, LIFETIME_MS } from '../http/apps.ts';
import { handle, type SessionAccess } from '../http/handlers.ts';
import { scenarioById } from '../http/scenarios.ts';
import { seedHallpass } from '../http/seed.ts';

const [scenarioId = 'S2', requestsArg = '100000', roundsArg = '5', only] = process.argv.slice(2);
const scenario = scenarioById(scenarioId);
const requests = Number(requestsArg);
const rounds = Number(roundsArg);

const store = new MemoryStore({ maxSessions: Number.POSITIVE_INFINITY, cleanupIntervalMs: 0 });
const manager = new SessionManager({
  store,
  lifetime: LIFETIME_MS,
  idleTimeout: scenario.idleTimeoutMs,
  cookie: { name: COOKIE_NAME, secure: false },
});
const middleware = manager.middleware();
const cookies = scenario.withCookie ? await seedHallpass(store, 10_000, scenario) : [];
// One socket for every request: only the adapter's lazy client would read it (it does not).
const socket = new Socket();

function request(i: number): { req: IncomingMessage; res: ServerResponse; done: Promise<void> } {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/';
  const cookie = cookies[i % cookies.length];
  if (cookie !== undefined) req.headers.cookie = cookie;
  const res = new ServerResponse(req);
  let resolve = () => {};
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  // Installed before the middleware, which holds end() until the commit and then calls this.
  res.end = function ended(this: ServerResponse, ...args: unknown[]) {
    (ServerResponse.prototype.end as (...a: unknown[]) => ServerResponse).apply(this, args);
    resolve();
    return this;
  } as ServerResponse['end'];
  return { req, res, done };
}

async function reply(res: ServerResponse, access: SessionAccess): Promise<void> {
  const { status, body } = await handle(scenario.id, access);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
}

/** Answers like the bench's hallpass app: the manager's middleware, then the handler. */
async function withHallpass(i: number): Promise<void> {
  const { req, res, done } = request(i);
  middleware(req, res, (error?: unknown) => {
    if (error) throw error;
    const s = manager.session(req);
    void reply(res, {
      get: (key) => s.get(key),
      set: (key, value) => s.put(key, value),
      signIn: (userId) => s.signIn(userId),
    });
  });
  await done;
  if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
}

/** The same request and handler on a plain object: what is left when hallpass costs nothing. */
async function baseline(i: number): Promise<void> {
  const { res, done } = request(i);
  const values: Record<string, unknown> = { userId: 'user0', counter: 0 };
  void reply(res, {
    get: (key) => values[key],
    set: (key, value) => {
      values[key] = value;
    },
    signIn: async (userId) => {
      values.userId = userId;
    },
  });
  await done;
}

async function measure(run: (i: number) => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < requests; i++) await run(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / requests;
}

const contenders = { hallpass: withHallpass, baseline } as const;
const names = (only ? [only] : Object.keys(contenders)) as Array<keyof typeof contenders>;
for (const name of names) await measure(contenders[name]); // warm-up
const results: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const name of names) results[name]?.push(await measure(contenders[name]));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const line = names.map((name) => {
  const all = (results[name] ?? []).map((x) => x.toFixed(2)).join(' / ');
  return `${name} ${median(results[name] ?? []).toFixed(2)} µs (${all})`;
});
const hp =
  results.hallpass && results.baseline ? median(results.hallpass) - median(results.baseline) : NaN;
console.log(
  `${scenario.id}, ${requests} requests x ${rounds} rounds, CPU µs/request: ${line.join('; ')}` +
    (Number.isNaN(hp) ? '' : `; hallpass's own: ${hp.toFixed(2)} µs`) +
    `; load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
await store.close();
