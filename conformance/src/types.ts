import type { Store, StoreCapabilities } from '@hallpass/core';
import type { StandardStoreOptions } from '@hallpass/core/store';

export type { StandardStoreOptions };

/** One of the optional abilities a store declares in `store.capabilities`. */
export type Capability = keyof StoreCapabilities;

/**
 * One thing the backend has persisted, read straight from the backend (not through the store),
 * so the suite can check what really lands on disk or in the server.
 */
export interface RawEntry {
  /** The backend's own key: a Redis key, a SQL primary key, a MongoDB `_id`, a file name. */
  key: string;
  /**
   * Everything persisted under the key, as text: for Redis the key and its value (string, hash
   * fields or set members), for SQL the row as JSON, for MongoDB the document as (E)JSON.
   * Render text-like bytes as text (UTF-8 or latin1), so a token written in clear stays findable.
   */
  raw: string;
  /**
   * When the backend itself deletes this entry (epoch ms): a Redis TTL, a MongoDB TTL-index date.
   * `null` when nothing in the backend will ever remove it on its own (a Redis key without TTL,
   * a SQL row that only the store's cleanup deletes).
   */
  expiresAt: number | null;
}

/**
 * Raw access to a store's backend, in the style of the Auth.js adapter tests: the suite creates
 * sessions through the Store API and then checks what was really persisted.
 */
export interface RawInspector {
  /**
   * Whether the backend deletes expired entries by itself (Redis TTL, MongoDB TTL index). When
   * true, the suite requires every entry to carry an `expiresAt`: no key may live forever.
   */
  readonly nativeExpiry: boolean;
  /**
   * Everything the store under test has persisted, including index and bookkeeping entries.
   * Scope it to the store's namespace (key prefix, table, collection) when the backend is shared.
   */
  entries(): Promise<RawEntry[]>;
  /**
   * Overwrites what is stored for `id` with data the store cannot read back: garbage bytes, a
   * null where bytes belong, a wrong type. The suite then checks the store reads it as "no
   * session" (null or CorruptDataError) and can still delete it. Optional: without it those
   * tests are skipped, with the reason in the report.
   */
  corrupt?(id: string): Promise<void>;
}

/**
 * Timing of the expiry tests. By default they run on a controlled clock (see
 * `DescribeStoreOptions.clock`) and move it past each expiry instead of waiting.
 */
export interface ConformanceTiming {
  /**
   * How far in the future short-lived sessions expire, in ms. Each expiry test writes a session
   * that expires this far ahead, checks it is live, and moves the clock past it (sleeps, with
   * `clock: 'real'`). Real time still passes while the test runs, so it must exceed the time the
   * backend takes to write a test's sessions. Default 60 000 on the controlled clock, 1000 on
   * the real one.
   */
  expiryMs?: number;
  /**
   * Extra time after an expiry instant before asserting a session is gone, in ms, for backends
   * that compare against their own clock (a database server's `now()`). Default 50.
   */
  clockSkewMs?: number;
  /** Timeout of an ordinary test, in ms; slow tests get a multiple of it. Default 10 000. */
  testTimeoutMs?: number;
}

/** What the store factory receives. */
export interface StoreFactoryContext {
  /**
   * The clock the test runs on, in epoch milliseconds: pass it as the store's clock (hallpass
   * stores: the `clock` option). It never runs behind real time.
   */
  clock: () => number;
}

/**
 * Opt-in real-time checks that the backend removes expired sessions by itself, in the group
 * "backend-native expiry (real time)". They need `inspect` and sleep in real time.
 */
export interface BackendExpiryOptions<S extends Store = Store> {
  /**
   * Longest time after `expiresAt`, in ms, the backend may take to remove every entry of an
   * expired session (Redis: at once; a SQL store: its cleanup interval; MongoDB: the TTL
   * monitor's interval).
   */
  withinMs: number;
  /**
   * The store for these tests (on the clock it is given, which here is real time). Default
   * `factory`. Use it to shorten a cleanup interval, e.g. `cleanupIntervalMs: 100`.
   */
  factory?: (context: StoreFactoryContext) => S | Promise<S>;
}

/**
 * A store whose backend is down, for the group "backend unavailable": every call must reject
 * with StoreUnavailableError (the driver's error as `cause`, the message naming the store and
 * the call) within `withinMs`, and close() must still resolve.
 */
export interface UnavailableBackendOptions<S extends Store = Store> {
  /**
   * A store of the same kind, configured as `factory`'s, whose backend cannot be reached or
   * fails every call: a network store at a closed port, a SQLite store over a database handle
   * the test closed. Called once per test; the suite closes the store afterwards.
   */
  factory: (context: StoreFactoryContext) => S | Promise<S>;
  /**
   * Longest time a call may take to reject, in ms: a store whose backend is down must answer,
   * not hang. Default 5000 (a network store's connect timeout must fit in it).
   */
  withinMs?: number;
}

/** Sizes of the load tests. Lower them only for a backend that cannot take the default. */
export interface ConformanceScale {
  /** Sessions written for the big iteration test. Default 10 000. */
  iterationSessions?: number;
  /** Store calls kept in flight at once when writing many sessions. Default 100. */
  parallelism?: number;
  /** Concurrent read-modify-write loops in the compare-and-set test. Default 50. */
  casWriters?: number;
}

/** What `additionalTests` receives: the store under test and the suite's helpers. */
export interface StoreTestContext<S extends Store = Store> {
  /** The `name` given to describeStore. */
  readonly name: string;
  /** The store the current test runs against (from `factory`, closed after the test). */
  readonly store: S;
  /** Another store from `factory`, closed after the current test (e.g. a second "process"). */
  freshStore(): Promise<S>;
  /** The inspector for the current store, or undefined when no `inspect` option was given. */
  inspector(): Promise<RawInspector | undefined>;
  /** The resolved timing settings. */
  readonly timing: Required<ConformanceTiming>;
  /** The current test's clock, the one the store was given. */
  readonly clock: () => number;
  /** Moves the test's clock forward by `ms` (sleeps with `clock: 'real'`). */
  advanceClock(ms: number): Promise<void>;
}

export interface DescribeStoreOptions<S extends Store = Store> {
  /** Names the test group: `store conformance: <name>`. */
  name: string;
  /**
   * A fresh store for each test, on the clock in `context` (pass `context.clock` as the store's
   * clock). The suite calls `store.close()` after the test. Stores may share a backend: the
   * suite only relies on the ids and user ids it generates itself.
   */
  factory: (context: StoreFactoryContext) => S | Promise<S>;
  /**
   * What the expiry, idle, touch and model-based tests run on. `'controlled'` (default): the
   * factory's `context.clock`, which the tests move forward instead of sleeping; the store must
   * judge every expiry by it. `'real'`: real time, the tests sleep (for a store that cannot take
   * a clock; it makes the suite much slower).
   */
  clock?: 'controlled' | 'real';
  /** Opt-in real-time tests of the backend's own expiry (Redis PXAT, TTL index, SQL cleanup). */
  backendExpiry?: BackendExpiryOptions<S>;
  /**
   * A store built with the given standard options (the ones every store on the kit of
   * `@hallpass/core/store` accepts: `clock`, `maxDataBytes`, `onCorruptData`,
   * `cleanupIntervalMs`, `cleanupBatchSize`, `onCleanupError`), for the `standard options: ...`
   * groups, which check that the store applies them. Pass them on as they are, over the
   * factory's own settings: `configure: (options) => new MyStore({ ...mine, ...options })`.
   * `options.clock` is the suite's clock (`context.clock`), except in the test of the default
   * clock, where it is absent. The store is closed after the test. Without it those groups'
   * tests are skipped, with the reason. Throwing (or rejecting) for an invalid option is the
   * expected answer to it: the suite calls this only when a test runs.
   */
  configure?: (options: StandardStoreOptions, context: StoreFactoryContext) => S | Promise<S>;
  /**
   * A store whose backend is down, for the group "backend unavailable"; without it the group's
   * tests are reported as skipped, with the reason.
   */
  unavailable?: UnavailableBackendOptions<S>;
  /**
   * The name the store's StoreUnavailableError messages start with ('redis' for a describeStore
   * named 'redis cluster'), checked by the group "error messages". Default: `name`.
   */
  storeName?: string;
  /** Raw backend access for the persistence checks; without it those tests are skipped. */
  inspect?: (store: S) => RawInspector | Promise<RawInspector>;
  /** Runs once after all tests (afterAll), for the test author's own resources. */
  cleanup?: () => void | Promise<void>;
  /**
   * The capabilities the store must declare. A listed capability that the store stops declaring
   * (or starts declaring, when listed as false) fails the suite. Tests of a capability listed as
   * false are registered as skipped with the reason; capabilities not listed are read from the
   * store at run time and their tests skipped, with the reason, when the store lacks them.
   */
  expectCapabilities?: Partial<StoreCapabilities>;
  timing?: ConformanceTiming;
  scale?: ConformanceScale;
  /**
   * Run the SessionManager-over-HTTP tests against the store (login, renewal, logout, concurrent
   * requests through a real node:http server). Default true.
   */
  http?: boolean;
  /**
   * Run only these groups of the suite, by their titles as the report shows them (`'iteration'`,
   * `'errors and input validation'`, `'backend-native expiry (real time)'`...); the tests of
   * every other group are reported as skipped, with the reason `group not selected`. For a
   * second run against the same backend that only changes part of the store's code path (the
   * same store over another client library): the first, complete run covers the rest. A title
   * that names no group fails the suite. `additionalTests` always run. Default: every group.
   */
  groups?: readonly string[];
  /**
   * Known contract violations, as `'<group> > <test title>': 'why'` (the title shown in the
   * report, without the `store conformance: <name>` prefix). Those tests are registered with
   * `it.fails`: they pass while the store still fails them and start failing once it is fixed,
   * so the entry gets removed. A key that names no test fails the suite.
   */
  knownIssues?: Record<string, string>;
  /** Registers store-specific tests inside the same describe, with the same per-test store. */
  additionalTests?: (context: StoreTestContext<S>) => void;
}
