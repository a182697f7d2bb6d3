import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_COOKIE_VALUES } from '../../src/cookie.js';
import {
  generateToken,
  isWellFormedToken,
  type RejectReason,
  SessionManager,
  tokenToId,
} from '../../src/index.js';
import { TestStore } from '../support/test-store.js';

/**
 * Hostile Cookie headers, generated: repeated names, quoting, percent-encoding, unicode,
 * control characters, 8 KiB+ values, tokens one character off from issued ones. Loading never
 * throws, the store is only ever asked about well-formed tokens that appear in the header, and
 * no session comes back but one whose token was issued and sent.
 */

const store = new TestStore();
const manager = new SessionManager<{ n: number }>({ store, cookie: { secure: false } });
const issued: string[] = [];
const finds: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const session = await manager.load(undefined);
    session.put('n', i);
    await session.commit();
    issued.push(session.token as string);
  }
  const find = store.find.bind(store);
  store.find = (id, options) => {
    finds.push(id);
    return find(id, options);
  };
});

const issuedToken = fc.nat(2).map((i) => issued[i] as string);
/** An issued token with one character replaced: well-formed, but never issued. */
const nearMiss = fc
  .tuple(issuedToken, fc.nat(), fc.constantFrom(...'ABCXYZabcxyz0189-_'))
  .map(([token, at, char]) => {
    const i = at % token.length;
    return token.slice(0, i) + char + token.slice(i + 1);
  })
  .filter((token) => !issued.includes(token));
const value = fc.oneof(
  issuedToken,
  nearMiss,
  fc.constant('').map(() => generateToken()),
  issuedToken.map((token) => `"${token}"`),
  issuedToken.map((token) => encodeURIComponent(token).replace(/A/g, '%41')),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.string({ unit: 'binary-ascii', minLength: 8_200, maxLength: 9_000 }),
);
const name = fc.constantFrom('session', ' session', 'session ', 'Session', 'SESSION', 'other', '');
const header = fc.oneof(
  fc
    .tuple(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.constantFrom('; ', ';', ' ;'))
    .map(([pairs, separator]) => pairs.map(([n, v]) => `${n}=${v}`).join(separator)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  value,
);

/** Every value the header could carry for `session`, whichever parsing rules apply. */
function candidates(text: string): Set<string> {
  const found = new Set<string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== 'session') continue;
    for (let v of [part.slice(eq + 1), part.slice(eq + 1).trim()]) {
      found.add(v);
      if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
      found.add(v);
      try {
        found.add(decodeURIComponent(v));
      } catch {
        // Not percent-decodable: the raw value is the only candidate.
      }
    }
  }
  return found;
}

describe('Cookie header properties', () => {
  it('load never throws, queries only well-formed tokens the header carries, accepts only issued ones', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(header, async (text) => {
        finds.length = 0;
        const rejected: RejectReason[] = [];
        const off = manager.on('rejected', (event) => rejected.push(event.reason));
        try {
          const session = await manager.load(text);
          const allowed = new Set(
            [...candidates(text)].filter((c) => isWellFormedToken(c)).map((c) => tokenToId(c)),
          );
          for (const id of finds)
            expect(allowed.has(id), 'store queried for an id the header does not carry').toBe(true);
          expect(finds.length, 'store lookups per load').toBeLessThanOrEqual(MAX_COOKIE_VALUES);
          // A value of the wrong shape costs no lookup: every lookup is for a value that was
          // not rejected as malformed.
          const malformed = rejected.filter((reason) => reason === 'malformed-token').length;
          expect(finds.length + malformed).toBeLessThanOrEqual(MAX_COOKIE_VALUES);
          expect(finds.length, 'one lookup per reported outcome').toBe(
            rejected.length - malformed + (session.isNew ? 0 : 1),
          );
          if (!session.isNew) {
            accepted++;
            expect(issued, 'a session was accepted').toContain(session.token);
            expect(candidates(text), 'the accepted token was in the header').toContain(
              session.token,
            );
          }
        } finally {
          off();
        }
      }),
      { numRuns: 400 },
    );
    // The generator must reach the accepting path, or the last check above proves nothing.
    expect(accepted, 'headers that carried an issued token').toBeGreaterThan(0);
  });

  it('the middleware never throws and never passes an error on, whatever the header', async () => {
    const middleware = manager.middleware();
    await fc.assert(
      fc.asyncProperty(header, async (text) => {
        const req = new IncomingMessage(new Socket());
        req.headers = { cookie: text };
        const res = new ServerResponse(req);
        const error = await new Promise<unknown>((resolve, reject) => {
          try {
            middleware(req, res, resolve);
          } catch (thrown) {
            reject(thrown);
          }
        });
        expect(error).toBeUndefined();
        expect(() => manager.session(req)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('the store never holds a raw token: rows are keyed by its SHA-256 and data never contains it', async () => {
    for (const token of issued) {
      expect(store.rows.has(tokenToId(token))).toBe(true);
      for (const [id, row] of store.rows) {
        expect(id).not.toContain(token);
        expect(Buffer.from(row.data).toString('latin1')).not.toContain(token);
      }
    }
  });
});
