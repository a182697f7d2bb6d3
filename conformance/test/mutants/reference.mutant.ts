import type { SessionUpdate, UpdateOptions } from '@hallpass/core';
import { describeStore } from '../../src/index.js';
import { ReferenceStore } from '../support/reference-store.js';
import { SELF_TEST_OPTIONS, withBackendDown } from './register.js';

// The unbroken store: every test of the suite must pass on it.
describeStore({
  ...SELF_TEST_OPTIONS,
  name: 'reference',
  factory: ({ clock }) => new ReferenceStore({ clock }),
  unavailable: withBackendDown(({ clock }) => new ReferenceStore({ clock })),
});

/** The same store without compare-and-set: last write wins, expectedVersion is ignored. */
class UnversionedReferenceStore extends ReferenceStore {
  override readonly capabilities = { ...new ReferenceStore().capabilities, versioned: false };

  override update(id: string, changes: SessionUpdate, options?: UpdateOptions) {
    return super.update(id, changes, { ...options, expectedVersion: undefined });
  }
}

describeStore({
  ...SELF_TEST_OPTIONS,
  name: 'reference without compare-and-set',
  factory: ({ clock }) => new UnversionedReferenceStore({ clock }),
  unavailable: withBackendDown(({ clock }) => new UnversionedReferenceStore({ clock })),
  expectCapabilities: { ...SELF_TEST_OPTIONS.expectCapabilities, versioned: false },
});
