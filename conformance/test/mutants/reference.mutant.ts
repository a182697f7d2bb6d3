import type { SessionUpdate, UpdateOptions } from '@hallpass/core';
import { describeStore } from '../../src/index.js';
import { inspectReferenceWithCleanup, ReferenceStore } from '../support/reference-store.js';
import { SELF_TEST_OPTIONS, withBackendDown } from './register.js';

// The unbroken store: every test of the suite must pass on it.
describeStore({
  ...SELF_TEST_OPTIONS,
  name: 'reference',
  factory: ({ clock }) => new ReferenceStore({ clock }),
  configure: (options) => new ReferenceStore(options),
  unavailable: withBackendDown(({ clock }) => new ReferenceStore({ clock })),
});

// As a backend without native expiry: its background cleanup is then what removes expired
// entries, and the cleanup options' tests (skipped above: the reference expires keys itself) run.
describeStore({
  ...SELF_TEST_OPTIONS,
  name: 'reference with a background cleanup',
  factory: ({ clock }) => new ReferenceStore({ clock }),
  configure: (options) => new ReferenceStore(options),
  inspect: inspectReferenceWithCleanup,
  groups: [
    'standard options: checks and defaults',
    'standard options: maxDataBytes',
    'standard options: onCorruptData',
    'standard options: background cleanup',
  ],
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
  configure: (options) => new UnversionedReferenceStore(options),
  unavailable: withBackendDown(({ clock }) => new UnversionedReferenceStore({ clock })),
  expectCapabilities: { ...SELF_TEST_OPTIONS.expectCapabilities, versioned: false },
});
