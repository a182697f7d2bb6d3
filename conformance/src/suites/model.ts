import type {
  IterableStore,
  Store,
  StoredSession,
  TouchableStore,
  UserIndexStore,
} from '@hallpass/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { SuiteClock } from '../clock.js';
import type { SuiteContext } from '../context.js';
import { bytesDiff, randomId, randomUserId } from '../fixtures.js';

/**
 * Model-based test of the whole Store contract: fast-check generates sequences of store calls
 * on a few ids and users, runs them against the real store and against a reference model (a
 * Map), and compares every answer. Short-lived sessions expire by the suite's clock, which
 * "wait" commands move (real time still passes between calls), so near an expiry instant the
 * model accepts either answer and then follows what the store said.
 */

const IDS = 4;
const USERS = 2;
const HOUR = 3_600_000;

interface ModelSession {
  data: Uint8Array;
  expiresAt: number;
  userId: string | null;
  createdAt: number;
  lastSeenAt: number;
  version: number;
}

/** What the model knows: sessions by pool index, plus the versions each index ever had. */
interface Model {
  sessions: Map<number, ModelSession>;
}

interface Real {
  store: Store;
  ids: string[];
  users: string[];
  /** How far the store's clock may be from ours (ms). */
  skew: number;
  /** The clock the store runs on; "wait" commands move it. */
  clock: SuiteClock;
}

type Presence = 'live' | 'gone' | 'either';

/** Whether the model's session must be live, must be gone, or may be either during a call. */
function presence(model: Model, index: number, before: number, after: number, skew: number) {
  const session = model.sessions.get(index);
  if (!session) return 'gone' as Presence;
  if (session.expiresAt > after + skew) return 'live' as Presence;
  if (session.expiresAt <= before - skew) return 'gone' as Presence;
  return 'either' as Presence;
}

/** Runs `call`, bracketing it with the wall clock so expiry can be judged. */
async function timed<T>(
  clock: SuiteClock,
  call: () => Promise<T>,
): Promise<{ value: T; before: number; after: number }> {
  const before = clock.now();
  const value = await call();
  return { value, before, after: clock.now() };
}

function expectMatches(
  found: StoredSession,
  expected: ModelSession,
  what: string,
  versioned: boolean,
) {
  const diff = bytesDiff(found.data, expected.data);
  if (diff) throw new Error(`${what}: data differs from the model: ${diff}`);
  expect(found.expiresAt, `${what}: expiresAt`).toBe(expected.expiresAt);
  expect(found.userId, `${what}: userId`).toBe(expected.userId);
  expect(found.createdAt, `${what}: createdAt`).toBe(expected.createdAt);
  expect(found.lastSeenAt, `${what}: lastSeenAt`).toBe(expected.lastSeenAt);
  if (versioned) expect(found.version, `${what}: version`).toBe(expected.version);
}

class StoreCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly label: string,
    readonly body: (model: Model, real: Real) => Promise<void>,
  ) {}
  check(): true {
    return true;
  }
  run(model: Model, real: Real): Promise<void> {
    return this.body(model, real);
  }
  toString(): string {
    return this.label;
  }
}

/** Expiry of a generated record: short-lived (expires during the run), long-lived, or past. */
type Lifetime = { kind: 'short'; ms: number } | { kind: 'long' } | { kind: 'past' };

function expiryFor(lifetime: Lifetime, now: number): number {
  if (lifetime.kind === 'short') return now + lifetime.ms;
  if (lifetime.kind === 'past') return now - 1_000;
  return now + HOUR;
}

function describeLifetime(lifetime: Lifetime): string {
  return lifetime.kind === 'short' ? `${lifetime.ms}ms` : lifetime.kind;
}

interface Arbitraries {
  index: fc.Arbitrary<number>;
  user: fc.Arbitrary<number | null>;
  data: fc.Arbitrary<Uint8Array>;
  lifetime: fc.Arbitrary<Lifetime>;
  wait: fc.Arbitrary<number>;
}

function commandArbitraries(
  store: Store,
  arb: Arbitraries,
  withTime: boolean,
): Array<fc.Arbitrary<fc.AsyncCommand<Model, Real>>> {
  const { versioned } = store.capabilities;
  const commands: Array<fc.Arbitrary<fc.AsyncCommand<Model, Real>>> = [];

  commands.push(
    fc
      .record({
        index: arb.index,
        user: arb.user,
        data: arb.data,
        lifetime: arb.lifetime,
        age: fc.nat(9),
      })
      .filter(({ lifetime }) => lifetime.kind !== 'past')
      .map(
        ({ index, user, data, lifetime, age }) =>
          new StoreCommand(
            `create(#${index}, user ${user}, ${data.length} bytes, ${describeLifetime(lifetime)})`,
            async (model, real) => {
              const now = real.clock.now();
              const record = {
                data,
                expiresAt: expiryFor(lifetime, now),
                userId: user === null ? null : (real.users[user] as string),
                createdAt: now - age * 1_000,
                lastSeenAt: now,
              };
              const { value, before, after } = await timed(real.clock, () =>
                real.store.create(real.ids[index] as string, record),
              );
              const was = presence(model, index, before, after, real.skew);
              if (was === 'live')
                expect(value, `create over a live session`).toEqual({
                  ok: false,
                  reason: 'exists',
                });
              if (was === 'gone') expect(value.ok, `create of a free id`).toBe(true);
              if (value.ok) model.sessions.set(index, { ...record, version: value.version });
            },
          ),
      ),
  );

  commands.push(
    arb.index.map(
      (index) =>
        new StoreCommand(`find(#${index})`, async (model, real) => {
          const { value, before, after } = await timed(real.clock, () =>
            real.store.find(real.ids[index] as string),
          );
          const was = presence(model, index, before, after, real.skew);
          if (was === 'gone') expect(value, 'find of a session that is gone').toBeNull();
          if (was === 'live' && value === null)
            throw new Error('find returned null for a live session');
          if (value === null) {
            model.sessions.delete(index);
            return;
          }
          expect(value.id).toBe(real.ids[index]);
          expectMatches(value, model.sessions.get(index) as ModelSession, 'find', versioned);
        }),
    ),
  );

  const versionChoice = versioned
    ? fc.constantFrom('none' as const, 'current' as const, 'stale' as const)
    : fc.constant('none' as const);
  commands.push(
    fc
      .record({
        index: arb.index,
        user: arb.user,
        data: arb.data,
        lifetime: arb.lifetime,
        expected: versionChoice,
      })
      .map(
        ({ index, user, data, lifetime, expected }) =>
          new StoreCommand(
            `update(#${index}, user ${user}, ${data.length} bytes, ${describeLifetime(lifetime)}, version ${expected})`,
            async (model, real) => {
              const now = real.clock.now();
              const changes = {
                data,
                expiresAt: expiryFor(lifetime, now),
                userId: user === null ? null : (real.users[user] as string),
                lastSeenAt: now,
              };
              const current = model.sessions.get(index)?.version ?? 1;
              const expectedVersion =
                expected === 'none' ? undefined : expected === 'current' ? current : current - 1;
              const { value, before, after } = await timed(real.clock, () =>
                real.store.update(real.ids[index] as string, changes, { expectedVersion }),
              );
              const was = presence(model, index, before, after, real.skew);
              if (was === 'gone')
                expect(value, 'update of a session that is gone').toEqual({
                  ok: false,
                  reason: 'missing',
                });
              if (was === 'live') {
                if (expected === 'stale')
                  expect(value, 'update with a stale version').toEqual({
                    ok: false,
                    reason: 'conflict',
                  });
                else
                  expect(value.ok, `update of a live session: ${JSON.stringify(value)}`).toBe(true);
              }
              if (!value.ok && value.reason === 'missing') {
                model.sessions.delete(index);
                return;
              }
              if (!value.ok) {
                expect(expected, 'only a stale version may conflict').toBe('stale');
                return;
              }
              expect(expected, 'a stale version must not win').not.toBe('stale');
              const previous = model.sessions.get(index) as ModelSession;
              if (versioned)
                expect(value.version, 'update changes the version').not.toBe(previous.version);
              if (changes.expiresAt <= now) model.sessions.delete(index);
              else
                model.sessions.set(index, {
                  ...changes,
                  createdAt: previous.createdAt,
                  version: value.version,
                });
            },
          ),
      ),
  );

  commands.push(
    arb.index.map(
      (index) =>
        new StoreCommand(`delete(#${index})`, async (model, real) => {
          await real.store.delete(real.ids[index] as string);
          model.sessions.delete(index);
        }),
    ),
  );

  if (store.capabilities.touch) {
    commands.push(
      fc.record({ index: arb.index, lifetime: arb.lifetime }).map(
        ({ index, lifetime }) =>
          new StoreCommand(
            `touch(#${index}, ${describeLifetime(lifetime)})`,
            async (model, real) => {
              const now = real.clock.now();
              const expiresAt = expiryFor(lifetime, now);
              const { value, before, after } = await timed(real.clock, () =>
                (real.store as TouchableStore).touch(real.ids[index] as string, expiresAt, now),
              );
              const was = presence(model, index, before, after, real.skew);
              if (was === 'gone') expect(value, 'touch of a session that is gone').toBe(false);
              if (was === 'live') expect(value, 'touch of a live session').toBe(true);
              if (!value || expiresAt <= now) {
                model.sessions.delete(index);
                return;
              }
              const session = model.sessions.get(index) as ModelSession;
              model.sessions.set(index, { ...session, expiresAt, lastSeenAt: now });
            },
          ),
      ),
    );
  }

  if (store.capabilities.userIndex) {
    commands.push(
      fc.nat(USERS - 1).map(
        (user) =>
          new StoreCommand(`listByUser(user ${user})`, async (model, real) => {
            const userId = real.users[user] as string;
            const { value, before, after } = await timed(real.clock, () =>
              (real.store as UserIndexStore).listByUser(userId),
            );
            const listed = new Set<number>();
            for (const [position, session] of value.entries()) {
              const index = real.ids.indexOf(session.id);
              expect(
                index,
                `listByUser returned an id the run never created`,
              ).toBeGreaterThanOrEqual(0);
              expect(listed.has(index), `listByUser returned #${index} twice`).toBe(false);
              listed.add(index);
              const expected = model.sessions.get(index);
              const was = presence(model, index, before, after, real.skew);
              if (!expected || was === 'gone' || expected.userId !== userId) {
                throw new Error(
                  `listByUser(user ${user}) returned #${index}, which is not a live session of that user`,
                );
              }
              expectMatches(session, expected, `listByUser #${index}`, versioned);
              const previous = value[position - 1];
              if (previous)
                expect(session.createdAt, 'listByUser is oldest first').toBeGreaterThanOrEqual(
                  previous.createdAt,
                );
            }
            for (const [index, session] of [...model.sessions]) {
              if (session.userId !== userId || listed.has(index)) continue;
              const was = presence(model, index, before, after, real.skew);
              if (was === 'live')
                throw new Error(`listByUser(user ${user}) left out live session #${index}`);
              model.sessions.delete(index);
            }
          }),
      ),
    );

    commands.push(
      fc.record({ user: fc.nat(USERS - 1), except: fc.option(arb.index, { nil: undefined }) }).map(
        ({ user, except }) =>
          new StoreCommand(`deleteByUser(user ${user}, except #${except})`, async (model, real) => {
            const userId = real.users[user] as string;
            const { value, before, after } = await timed(real.clock, () =>
              (real.store as UserIndexStore).deleteByUser(userId, {
                except: except === undefined ? undefined : real.ids[except],
              }),
            );
            let certain = 0;
            let possible = 0;
            for (const [index, session] of [...model.sessions]) {
              if (session.userId !== userId || index === except) continue;
              const was = presence(model, index, before, after, real.skew);
              if (was === 'live') certain++;
              if (was !== 'gone') possible++;
              model.sessions.delete(index);
            }
            expect(value, 'deleteByUser count').toBeGreaterThanOrEqual(certain);
            expect(value, 'deleteByUser count').toBeLessThanOrEqual(possible);
          }),
      ),
    );
  }

  if (store.capabilities.iterate) {
    commands.push(
      fc.constant(
        new StoreCommand('iterate()', async (model, real) => {
          const before = real.clock.now();
          const seen = new Set<number>();
          for await (const session of (real.store as IterableStore).iterate({ pageSize: 50 })) {
            const index = real.ids.indexOf(session.id);
            if (index < 0) continue; // another test's session on a shared backend
            expect(seen.has(index), `iterate yielded #${index} twice`).toBe(false);
            seen.add(index);
            const expected = model.sessions.get(index);
            if (!expected)
              throw new Error(`iterate yielded #${index}, which is not live in the model`);
            expectMatches(session, expected, `iterate #${index}`, versioned);
          }
          const after = real.clock.now();
          for (const index of [...model.sessions.keys()]) {
            if (seen.has(index)) continue;
            const was = presence(model, index, before, after, real.skew);
            if (was === 'live') throw new Error(`iterate left out live session #${index}`);
            model.sessions.delete(index);
          }
        }),
      ),
    );
  }

  if (withTime) {
    commands.push(
      arb.wait.map(
        (ms) =>
          new StoreCommand(`wait(${ms}ms)`, async (_model, real) => {
            await real.clock.advance(ms);
          }),
      ),
    );
  }
  return commands;
}

/** Registers the model-based tests: one without expiry (strict), one with time advancing. */
export function modelSuite(ctx: SuiteContext): void {
  const { expiryMs, clockSkewMs, testTimeoutMs } = ctx.timing;

  const run = async (withTime: boolean, numRuns: number, maxCommands: number) => {
    const store = ctx.store;
    const arb: Arbitraries = {
      index: fc.nat(IDS - 1),
      user: fc.option(fc.nat(USERS - 1), { nil: null, freq: 3 }),
      data: fc.uint8Array({ maxLength: 48 }),
      lifetime: withTime
        ? fc.oneof(
            {
              weight: 3,
              arbitrary: fc
                .integer({ min: expiryMs, max: 2 * expiryMs })
                .map((ms) => ({ kind: 'short', ms }) as Lifetime),
            },
            { weight: 2, arbitrary: fc.constant({ kind: 'long' } as Lifetime) },
            { weight: 1, arbitrary: fc.constant({ kind: 'past' } as Lifetime) },
          )
        : fc.oneof(
            { weight: 5, arbitrary: fc.constant({ kind: 'long' } as Lifetime) },
            { weight: 1, arbitrary: fc.constant({ kind: 'past' } as Lifetime) },
          ),
      wait: fc.integer({ min: Math.floor(expiryMs / 3), max: expiryMs }),
    };
    const commands = fc.commands(commandArbitraries(store, arb, withTime), {
      maxCommands,
      size: 'medium',
    });
    await fc.assert(
      fc.asyncProperty(commands, async (sequence) => {
        const real: Real = {
          store,
          ids: Array.from({ length: IDS }, () => randomId()),
          users: Array.from({ length: USERS }, () => randomUserId()),
          skew: clockSkewMs,
          clock: ctx.clock,
        };
        try {
          await fc.asyncModelRun(() => ({ model: { sessions: new Map() }, real }), sequence);
        } finally {
          await Promise.all(real.ids.map((id) => store.delete(id).catch(() => {})));
        }
      }),
      // Slow backends run fewer sequences rather than stall the suite, and shrinking (which
      // replays real calls and real waits) is bounded too: a failure found is still reported.
      { numRuns, interruptAfterTimeLimit: testTimeoutMs * 1.5, markInterruptAsFailure: false },
    );
  };

  ctx.group('model-based', () => {
    ctx.test(
      'random call sequences on long-lived sessions agree with the reference model',
      { timeout: testTimeoutMs * 6 },
      () => run(false, 25, 30),
    );
    ctx.test(
      'random call sequences with sessions expiring as the clock advances agree with the reference model',
      { timeout: testTimeoutMs * 6 + ctx.sleeping(250 * expiryMs) },
      () => run(true, 20, 25),
    );
  });
}
