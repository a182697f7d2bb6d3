import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Codec,
  devalueCodec,
  generateToken,
  jsonCodec,
  type RejectReason,
  SessionManager,
  tokenToId,
} from '../../src/index.js';
import { TestStore } from '../support/test-store.js';

/**
 * The codec seen through the manager: whatever bytes sit in a stored row, loading it gives "no
 * session" (a rejected event, an empty new session), never an exception; and arbitrary values
 * of every supported type survive a commit and a load exactly.
 */

const HOUR = 3_600_000;

function plant(store: TestStore, data: Uint8Array): string {
  const token = generateToken();
  const now = Date.now();
  store.rows.set(tokenToId(token), {
    id: tokenToId(token),
    data,
    expiresAt: now + HOUR,
    userId: null,
    createdAt: now,
    lastSeenAt: now,
    version: 1,
  });
  return token;
}

const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.json().map((text) => new TextEncoder().encode(text)),
  fc.string({ unit: 'binary' }).map((text) => new TextEncoder().encode(text)),
);

describe.each<[string, Codec]>([
  ['devalueCodec', devalueCodec],
  ['jsonCodec', jsonCodec],
])('stored bytes the %s cannot read', (_name, codec) => {
  it('load as no session, never an exception', async () => {
    const store = new TestStore();
    const manager = new SessionManager<Record<string, unknown>>({
      store,
      codec,
      cookie: { secure: false },
    });
    await fc.assert(
      fc.asyncProperty(garbage, async (data) => {
        const token = plant(store, data);
        const reasons: RejectReason[] = [];
        const off = manager.on('rejected', (event) => reasons.push(event.reason));
        try {
          const session = await manager.load(`session=${token}`);
          expect(session.isNew, 'a session was read from garbage').toBe(true);
          expect(session.keys()).toEqual([]);
          expect(reasons).toEqual(['corrupt-data']);
        } finally {
          off();
          store.rows.delete(tokenToId(token));
        }
      }),
      { numRuns: 300 },
    );
  });
});

// "__proto__" keys are refused by the codec on purpose (see codec.test.ts).
const safeKey = fc.string().filter((key) => key !== '__proto__');

describe('values through commit and load', () => {
  it('arbitrary nested values of every devalue-supported type come back exactly', async () => {
    const store = new TestStore();
    const manager = new SessionManager<Record<string, unknown>>({
      store,
      cookie: { secure: false },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          safeKey,
          fc.anything({
            key: safeKey,
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withNullPrototype: false,
          }),
          { minKeys: 1 },
        ),
        async (values) => {
          const session = await manager.load(undefined);
          for (const [key, value] of Object.entries(values)) session.put(key, value);
          await session.commit();
          const loaded = await manager.load(`session=${session.token}`);
          expect(loaded.isNew).toBe(false);
          const back = Object.fromEntries(loaded.keys().map((key) => [key, loaded.get(key)]));
          expect(back).toEqual(values);
          await loaded.destroy();
        },
      ),
      { numRuns: 200 },
    );
  });
});
