import type { StandardStoreOptions, StoreFactoryContext } from '../../src/index.js';
import type { ReferenceStore } from '../support/reference-store.js';

/** A store with one deliberate contract violation, and the tests that must catch it. */
export interface Mutant {
  name: string;
  create(context: StoreFactoryContext): ReferenceStore;
  /** `<group> > <title start>` of tests that must fail on this mutant (all of them). */
  caughtBy: string[];
  /**
   * The store with the standard options (describeStore's `configure`), for mutants of how a
   * store applies them; such mutants run with an inspector without native expiry, so the
   * background cleanup tests apply.
   */
  configure?(options: StandardStoreOptions): ReferenceStore;
}

/** Every mutant runs on the suite's clock, unless breaking that is its one bug. */
export const mutant = (name: string, create: () => ReferenceStore, caughtBy: string[]): Mutant => ({
  name,
  create: ({ clock }) => Object.assign(create(), { clock }),
  caughtBy,
});

/** The most common mutant: the reference store with the overrides of a subclass. */
export const overriding = (
  name: string,
  Store: new () => ReferenceStore,
  caughtBy: string[],
): Mutant => mutant(name, () => new Store(), caughtBy);

/**
 * A mutant of how a store applies its standard options: the subclass built from the options
 * describeStore's `configure` gives (and, as the factory, on the suite's clock).
 */
export const configuring = (
  name: string,
  Store: new (options?: StandardStoreOptions) => ReferenceStore,
  caughtBy: string[],
): Mutant => ({
  name,
  create: ({ clock }) => new Store({ clock }),
  configure: (options) => new Store(options),
  caughtBy,
});
