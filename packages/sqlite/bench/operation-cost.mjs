// Measures what one SqliteStore call costs, i.e. how long it holds the event loop (the driver
// is synchronous). Run after a build: `pnpm --filter @hallpass/sqlite bench`.
// Numbers go in the README; tests never assert timings.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../dist/index.js';

const SESSIONS = 10_000;
const SAMPLES = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'hallpass-sqlite-bench-'));
const store = new SqliteStore({ filename: join(dir, 'sessions.db'), cleanupIntervalMs: 0 });

const now = Date.now();
const record = (userId = null, expiresAt = now + 3_600_000) => ({
  data: randomBytes(512),
  expiresAt,
  userId,
  createdAt: now,
  lastSeenAt: now,
});
const ids = Array.from({ length: SESSIONS }, () => randomBytes(32).toString('base64url'));
for (const [i, id] of ids.entries()) await store.create(id, record(`user-${i % 1000}`));

/** Runs `call` `samples` times; returns mean and p99 in microseconds. */
async function measure(name, samples, call) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await call(i);
    times.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  const p99 = times[Math.floor(times.length * 0.99)];
  console.log(
    `${name.padEnd(44)} mean ${mean.toFixed(1).padStart(8)} µs   p99 ${p99.toFixed(1).padStart(8)} µs`,
  );
}

const pick = (i) => ids[(i * 7919) % SESSIONS];
const fresh = Array.from({ length: SAMPLES }, () => randomBytes(32).toString('base64url'));
console.log(`SqliteStore, WAL file, ${SESSIONS} sessions of 512 bytes, node ${process.version}`);
await measure('find', SAMPLES, (i) => store.find(pick(i)));
await measure('create', SAMPLES, (i) => store.create(fresh[i], record()));
await measure('update (compare-and-set)', SAMPLES, async (i) => {
  const session = await store.find(pick(i));
  await store.update(pick(i), record(session.userId), { expectedVersion: session.version });
});
await measure('touch', SAMPLES, (i) => store.touch(pick(i), now + 7_200_000, Date.now()));
await measure('listByUser (10 sessions)', SAMPLES, (i) => store.listByUser(`user-${i % 1000}`));
await measure('delete', SAMPLES, (i) => store.delete(fresh[i]));
await measure('iterate, one page (250, the default)', 50, async () => {
  let n = 0;
  for await (const _ of store.iterate()) if (++n === 250) break;
});
for (const id of fresh) await store.create(id, record(null, Date.now() + 1));
await new Promise((resolve) => setTimeout(resolve, 5));
await measure('deleteExpired, one batch (250, the default)', 20, () =>
  store.deleteExpired({ batchSize: 250 }),
);

await store.close();
rmSync(dir, { recursive: true, force: true });
