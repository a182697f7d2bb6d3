import { afterAll } from 'vitest';
import type {
  DescribeStoreOptions,
  StoreFactoryContext,
  UnavailableBackendOptions,
} from '../../src/index.js';
import { describeStore } from '../../src/index.js';
import {
  inspectReference,
  inspectReferenceWithCleanup,
  type ReferenceStore,
} from '../support/reference-store.js';
import { MUTANTS, type Mutant } from './catalog.js';
import { LEAKED_TIMERS } from './catalog-edges.js';

/** Small sizes: the self-test runs the suite once per mutant. Expiry runs on the controlled clock. */
export const SELF_TEST_OPTIONS = {
  inspect: inspectReference,
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  scale: { iterationSessions: 300 },
  // The reference's "native" expiry is exact: it acts at once.
  backendExpiry: { withinMs: 100 },
  storeName: 'reference',
} satisfies Partial<DescribeStoreOptions<ReferenceStore>>;

/** The `unavailable` option for stores of `factory`: the same store, its "backend" refusing connections. */
export function withBackendDown(
  factory: (context: StoreFactoryContext) => ReferenceStore,
): UnavailableBackendOptions<ReferenceStore> {
  return {
    factory: (context) => {
      const store = factory(context);
      store.backendDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
        code: 'ECONNREFUSED',
      });
      return store;
    },
    // The reference answers at once: a store that does not has hung.
    withinMs: 500,
  };
}

/** Runs the groups of the suite that should catch each mutant. */
export function registerMutants(which: (mutant: Mutant, index: number) => boolean): void {
  // The timer-leaking mutant's timers: the leak is the bug the suite must see, not this run's.
  afterAll(() => {
    for (const timer of LEAKED_TIMERS) clearInterval(timer);
  });
  MUTANTS.forEach((mutant, index) => {
    if (!which(mutant, index)) return;
    const groups = [...new Set(mutant.caughtBy.map((key) => key.split(' > ')[0] as string))];
    describeStore({
      ...SELF_TEST_OPTIONS,
      name: `mutant: ${mutant.name}`,
      factory: mutant.create,
      ...(mutant.configure && {
        configure: mutant.configure,
        inspect: inspectReferenceWithCleanup,
      }),
      unavailable: withBackendDown(mutant.create),
      groups,
    } as DescribeStoreOptions<ReferenceStore>);
  });
}
