import { afterAll } from 'vitest';
import type { DescribeStoreOptions } from '../../src/index.js';
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
} satisfies Partial<DescribeStoreOptions<ReferenceStore>>;

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
      groups,
    } as DescribeStoreOptions<ReferenceStore>);
  });
}
