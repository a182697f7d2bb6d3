/**
 * What the pieces of a read-only request cost on their own, in ns per call (CPU time), so the
 * request path's total can be split into cookie parsing, token hashing, the store read, the
 * envelope decode, the manager's load and the request lifecycle. For the analysis of
 * bench/ANALYSIS.md, not for publication.
 *
 *   node bench/src/profile/pieces.ts [calls]
 */
import { devalueCodec, jsonCodec, SessionManager, tokenToId } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import { COOKIE_NAME, LIFETIME_MS } from '../http/apps.ts';
import { scenarioById } from '../http/scenarios.ts';
import { seedHallpass } from '../http/seed.ts';

const calls = Number(process.argv[2] ?? 200_000);
const store = new MemoryStore({ maxSessions: Number.POSITIVE_INFINITY, cleanupIntervalMs: 0 });
const manager = new SessionManager({
  store,
  lifetime: LIFETIME_MS,
  cookie: { name: COOKIE_NAME, secure: false },
});
const cookies = await seedHallpass(store, 10_000, scenarioById('S2'));
const tokens = cookies.map((c) => c.slice(COOKIE_NAME.length + 1));
const ids = tokens.map((t) => tokenToId(t));
const envelope = { deadline: Date.now() + LIFETIME_MS, values: { userId: 'user1', counter: 0 } };
const devalueBytes = devalueCodec.encode(envelope);
const jsonBytes = jsonCodec.encode(envelope);
const bytes = new Uint8Array(devalueBytes.byteLength);

type Piece = (i: number) => unknown;
const pieces: Record<string, Piece> = {
  'SHA-256 of the token (tokenToId)': (i) => tokenToId(tokens[i % tokens.length] as string),
  'copy of the stored bytes (new Uint8Array)': () => new Uint8Array(bytes),
  'devalue envelope decode': () => devalueCodec.decode(devalueBytes),
  'JSON envelope decode (for comparison)': () => jsonCodec.decode(jsonBytes),
  'WeakMap.set of a new key': () => new WeakMap().set({}, 1),
  'MemoryStore.find (kit included)': (i) => store.find(ids[i % ids.length] as string),
  'manager.load (cookie to Session)': (i) => manager.load(cookies[i % cookies.length]),
  'begin + get + finish + headers': async (i) => {
    const begun = await manager.begin({}, { cookieHeader: cookies[i % cookies.length] });
    if (!begun.ok) throw begun.error;
    begun.session.get('userId');
    await begun.finish();
    return begun.headers({ setCookie: [] });
  },
};

async function time(piece: Piece): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const result = piece(i);
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / calls;
}

for (const piece of Object.values(pieces)) await time(piece); // warm-up
for (const [name, piece] of Object.entries(pieces)) {
  const runs = [await time(piece), await time(piece), await time(piece)].sort((a, b) => a - b);
  console.log(`${String(Math.round(runs[1] as number)).padStart(6)} ns  ${name}`);
}
await store.close();
