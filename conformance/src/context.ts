import { type Store, supports } from '@hallpass/core';
import { describe, it, type TestContext } from 'vitest';
import { createSuiteClock, type SuiteClock } from './clock.js';
import type {
  Capability,
  ConformanceScale,
  ConformanceTiming,
  DescribeStoreOptions,
  RawInspector,
} from './types.js';

/** What a test needs from the inspector; the test is skipped, with the reason, when it is absent. */
export type InspectorNeed = 'entries' | 'nativeExpiry' | 'corrupt';

export interface TestSpec {
  /** Capabilities the test exercises; skipped (with the reason) on a store without them. */
  requires?: Capability[];
  /** Capabilities the store must NOT declare (tests of the fallback behaviour). */
  without?: Capability[];
  /** What the test needs from the RawInspector. */
  inspector?: InspectorNeed;
  /** Drives the SessionManager over HTTP: skipped when describeStore got `http: false`. */
  http?: boolean;
  /** A real-time test of the backend's own expiry: skipped without the `backendExpiry` option. */
  backendExpiry?: boolean;
  /** Builds stores with the standard options: skipped without the `configure` option. */
  configure?: boolean;
  /** Runs against the `unavailable` store: skipped without that option. */
  unavailable?: boolean;
  /** Reads the store at exact instants (a pinned clock): skipped with `clock: 'real'`. */
  controlledClock?: boolean;
  /** Timeout in ms; defaults to `timing.testTimeoutMs`. */
  timeout?: number;
}

export type TestBody = (t: TestContext) => Promise<void> | void;

/** The per-describeStore state every suite file registers its tests through. */
export interface SuiteContext {
  readonly name: string;
  readonly timing: Required<ConformanceTiming>;
  readonly scale: Required<ConformanceScale>;
  readonly options: DescribeStoreOptions<Store>;
  /** The clock the stores and the SessionManager run on; reset to real time before each test. */
  readonly clock: SuiteClock;
  /** Real time a test may spend waiting `ms` of clock time: none on the controlled clock. */
  sleeping(ms: number): number;
  /** The current test's store. */
  readonly store: Store;
  /** Another store from the factory, closed after the test. */
  freshStore(): Promise<Store>;
  /** Closes `store` after the current test, with the others. */
  closeAfterTest(store: Store): void;
  /** The current test's inspector (only inside tests declaring `inspector`). */
  inspector(): Promise<RawInspector>;
  /** Registers a group of tests. */
  group(title: string, register: () => void): void;
  /** The titles of the top-level groups registered so far, in order. */
  readonly groupTitles: readonly string[];
  /** Registers one test, skipped with a visible reason when its requirements are not met. */
  test(title: string, spec: TestSpec, body: TestBody): void;
}

const DEFAULT_TIMING: Required<ConformanceTiming> = {
  // Moving a controlled clock costs nothing, so its horizon leaves real time (slow round trips
  // on a busy machine) a wide margin; on real time every expiry test sleeps this long.
  expiryMs: 60_000,
  clockSkewMs: 50,
  testTimeoutMs: 10_000,
};
const REAL_TIME_EXPIRY_MS = 1_000;

const DEFAULT_SCALE: Required<ConformanceScale> = {
  iterationSessions: 10_000,
  parallelism: 100,
  casWriters: 50,
};

export interface SuiteState {
  context: SuiteContext;
  /** Called from beforeEach/afterEach by describeStore. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** knownIssues keys that matched no registered test. */
  unusedKnownIssues(): string[];
}

export function createSuiteState(options: DescribeStoreOptions<Store>): SuiteState {
  const clock = createSuiteClock(options.clock !== 'real');
  const timing = {
    ...DEFAULT_TIMING,
    ...(clock.controlled ? {} : { expiryMs: REAL_TIME_EXPIRY_MS }),
    ...definedOnly(options.timing),
  };
  const scale = { ...DEFAULT_SCALE, ...definedOnly(options.scale) };
  const knownIssues = new Map(Object.entries(options.knownIssues ?? {}));
  const usedKnownIssues = new Set<string>();
  const groups: string[] = [];
  const groupTitles: string[] = [];
  const selected = options.groups && new Set(options.groups);

  let current: Store | undefined;
  let extras: Store[] = [];
  let inspector: Promise<RawInspector> | undefined;

  const currentStore = (): Store => {
    if (!current) {
      throw new Error('the store under test is only available inside a test (beforeEach/it)');
    }
    return current;
  };

  const context: SuiteContext = {
    name: options.name,
    timing,
    scale,
    options,
    clock,
    sleeping: (ms) => (clock.controlled ? 0 : ms),
    get store() {
      return currentStore();
    },
    async freshStore() {
      const store = await options.factory({ clock: clock.now });
      extras.push(store);
      return store;
    },
    closeAfterTest(store) {
      extras.push(store);
    },
    inspector() {
      const { inspect } = options;
      if (!inspect) throw new Error('no inspect option was given to describeStore');
      inspector ??= Promise.resolve(inspect(currentStore()));
      return inspector;
    },
    groupTitles,
    group(title, register) {
      // Top-level groups are registered while no group's callback runs (vitest collects
      // nested describes later), so the stack is empty exactly for them.
      if (groups.length === 0) groupTitles.push(title);
      describe(title, () => {
        groups.push(title);
        try {
          register();
        } finally {
          groups.pop();
        }
      });
    },
    test(title, spec, body) {
      const key = [...groups, title].join(' > ');
      const known = knownIssues.get(key);
      if (known !== undefined) usedKnownIssues.add(key);
      const staticSkip =
        selected && !selected.has(groups[0] ?? '')
          ? 'group not selected (groups option)'
          : staticSkipReason(options, spec);
      if (staticSkip) {
        it.skip(`${title} [skipped: ${staticSkip}]`, () => {});
        return;
      }
      const register = known === undefined ? it : it.fails;
      const shownTitle = known === undefined ? title : `${title} [known issue: ${known}]`;
      register(shownTitle, { timeout: spec.timeout ?? timing.testTimeoutMs }, async (t) => {
        const store = currentStore();
        for (const capability of spec.requires ?? []) {
          if (!store.capabilities[capability]) {
            if (options.expectCapabilities?.[capability] === true) {
              throw new Error(
                `expectCapabilities lists ${capability}, but the store does not declare capabilities.${capability}`,
              );
            }
            t.skip(`store does not declare capabilities.${capability}`);
          }
          if (!supports(store, capability)) {
            throw new Error(
              `store declares capabilities.${capability} but does not implement its methods`,
            );
          }
        }
        for (const capability of spec.without ?? []) {
          if (store.capabilities[capability]) {
            t.skip(`only for stores without capabilities.${capability}`);
          }
        }
        if (spec.inspector === 'nativeExpiry' || spec.inspector === 'corrupt') {
          const raw = await context.inspector();
          if (spec.inspector === 'nativeExpiry' && !raw.nativeExpiry) {
            t.skip('the backend has no native expiry (inspector.nativeExpiry is false)');
          }
          if (spec.inspector === 'corrupt' && typeof raw.corrupt !== 'function') {
            t.skip('the inspector has no corrupt()');
          }
        }
        await body(t);
      });
    },
  };

  return {
    context,
    async open() {
      clock.reset();
      current = await options.factory({ clock: clock.now });
      extras = [];
      inspector = undefined;
    },
    async close() {
      const stores = [current, ...extras];
      current = undefined;
      extras = [];
      inspector = undefined;
      await Promise.all(stores.map((store) => store?.close?.()));
    },
    unusedKnownIssues() {
      return [...knownIssues.keys()].filter((key) => !usedKnownIssues.has(key));
    },
  };
}

/** Why a test cannot run on this store, known before any store exists, or undefined. */
function staticSkipReason(
  options: DescribeStoreOptions<Store>,
  spec: TestSpec,
): string | undefined {
  const expected = options.expectCapabilities ?? {};
  for (const capability of spec.requires ?? []) {
    if (expected[capability] === false) return `store does not declare capabilities.${capability}`;
  }
  for (const capability of spec.without ?? []) {
    if (expected[capability] === true) return `only for stores without capabilities.${capability}`;
  }
  if (spec.inspector && !options.inspect) return 'no inspect option given to describeStore';
  if (spec.controlledClock && options.clock === 'real') {
    return "needs the controlled clock to read at an exact instant (clock: 'real' given)";
  }
  if (spec.configure && !options.configure) return 'no configure option given to describeStore';
  if (spec.http && options.http === false) return 'http: false given to describeStore';
  if (spec.backendExpiry && !options.backendExpiry) {
    return 'real-time test, opt-in: no backendExpiry option given to describeStore';
  }
  if (spec.backendExpiry && !options.inspect) return 'no inspect option given to describeStore';
  if (spec.unavailable && !options.unavailable) {
    return 'no unavailable option (a store whose backend is down) given to describeStore';
  }
  return undefined;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
