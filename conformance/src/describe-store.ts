import type { Store } from '@hallpass/core';
import { afterAll, afterEach, beforeEach, describe, it } from 'vitest';
import { createSuiteState } from './context.js';
import { abortAndErrorsSuite } from './suites/abort-and-errors.js';
import { abortInFlightSuite } from './suites/abort-in-flight.js';
import { backendExpirySuite } from './suites/backend-expiry.js';
import { backendUnavailableSuite } from './suites/backend-unavailable.js';
import { capabilitiesSuite } from './suites/capabilities.js';
import { cleanupSuite } from './suites/cleanup.js';
import { closeSuite } from './suites/close.js';
import { corruptDataReportingSuite } from './suites/corrupt-data-reporting.js';
import { createUpdateSuite } from './suites/create-update.js';
import { endingUpdateVersionSuite } from './suites/ending-update-version.js';
import { errorMessagesSuite } from './suites/error-messages.js';
import { expirySuite } from './suites/expiry.js';
import { expiryBoundarySuite } from './suites/expiry-boundary.js';
import { expiryBoundaryPersistenceSuite } from './suites/expiry-boundary-persistence.js';
import { httpSuite } from './suites/http.js';
import { iterationSuite } from './suites/iteration.js';
import { listingOrderSuite } from './suites/listing-order.js';
import { modelSuite } from './suites/model.js';
import { racesSuite } from './suites/races.js';
import { rawInspectionSuite } from './suites/raw-inspection.js';
import { roundTripSuite } from './suites/round-trip.js';
import { standardOptionsCleanupTimerSuite } from './suites/standard-options-cleanup-timer.js';
import { standardOptionsCorruptDataSuite } from './suites/standard-options-corrupt-data.js';
import { standardOptionsDataLimitSuite } from './suites/standard-options-data-limit.js';
import { standardOptionsValidationSuite } from './suites/standard-options-validation.js';
import { touchSuite } from './suites/touch.js';
import { userIdsSuite } from './suites/user-ids.js';
import { userIndexSuite } from './suites/user-index.js';
import { userIndexOwnerSuite } from './suites/user-index-owner.js';
import { versionValidationSuite } from './suites/version-validation.js';
import { versionedSuite } from './suites/versioned.js';
import type { DescribeStoreOptions, StoreTestContext } from './types.js';

/**
 * Registers the hallpass store conformance suite under vitest, in a `describe` named
 * `store conformance: <name>`. Call it at the top level of a test file:
 *
 * ```ts
 * describeStore({ name: 'redis', factory: ({ clock }) => new RedisStore({ client, clock }) });
 * ```
 *
 * Every test gets a fresh store from `factory`, on the clock the factory receives, and closes
 * it afterwards. Expiry tests move that clock instead of sleeping (see the `clock` option).
 * Tests of a capability the store does not declare, or needing an option that was not given
 * (`inspect`), or in a group the `groups` option leaves out, are reported as skipped with the
 * reason: nothing is left out silently.
 */
export function describeStore<S extends Store>(options: DescribeStoreOptions<S>): void {
  if (typeof options?.factory !== 'function') {
    throw new TypeError('describeStore needs a factory that returns a fresh store');
  }
  if (options.clock !== undefined && options.clock !== 'controlled' && options.clock !== 'real') {
    throw new TypeError("describeStore's clock option is 'controlled' (the default) or 'real'");
  }
  if (
    options.groups !== undefined &&
    (!Array.isArray(options.groups) ||
      options.groups.length === 0 ||
      options.groups.some((group) => typeof group !== 'string'))
  ) {
    throw new TypeError("describeStore's groups option is a non-empty array of group titles");
  }
  const state = createSuiteState(options as unknown as DescribeStoreOptions<Store>);
  const ctx = state.context;

  // Tests share one per-test store variable, so they must not run concurrently.
  describe(`store conformance: ${options.name}`, { concurrent: false }, () => {
    beforeEach(() => state.open());
    afterEach(() => state.close());
    afterAll(async () => {
      await options.cleanup?.();
    });

    capabilitiesSuite(ctx);
    roundTripSuite(ctx);
    createUpdateSuite(ctx);
    expirySuite(ctx);
    expiryBoundarySuite(ctx);
    versionedSuite(ctx);
    endingUpdateVersionSuite(ctx);
    iterationSuite(ctx);
    userIndexSuite(ctx);
    userIndexOwnerSuite(ctx);
    versionValidationSuite(ctx);
    listingOrderSuite(ctx);
    userIdsSuite(ctx);
    touchSuite(ctx);
    racesSuite(ctx);
    abortAndErrorsSuite(ctx);
    abortInFlightSuite(ctx);
    closeSuite(ctx);
    rawInspectionSuite(ctx);
    cleanupSuite(ctx);
    expiryBoundaryPersistenceSuite(ctx);
    corruptDataReportingSuite(ctx);
    modelSuite(ctx);
    httpSuite(ctx);
    backendExpirySuite(ctx);
    // The kit's standard options, varied through the `configure` hook (skipped without it).
    standardOptionsValidationSuite(ctx);
    standardOptionsDataLimitSuite(ctx);
    standardOptionsCorruptDataSuite(ctx);
    standardOptionsCleanupTimerSuite(ctx);
    // Options-driven groups of their own (error texts, a backend that is down): kept last.
    errorMessagesSuite(ctx);
    backendUnavailableSuite(ctx);

    // A misspelt group would silently select nothing: name the ones that exist instead.
    const unknown = (options.groups ?? []).filter((group) => !ctx.groupTitles.includes(group));
    if (unknown.length > 0) {
      throw new TypeError(
        `describeStore's groups option names no group of the suite: ${unknown.map((group) => JSON.stringify(group)).join(', ')}; the groups are ${ctx.groupTitles.map((group) => JSON.stringify(group)).join(', ')}`,
      );
    }

    if (options.additionalTests) {
      const extra: StoreTestContext<S> = {
        name: options.name,
        timing: ctx.timing,
        clock: ctx.clock.now,
        advanceClock: (ms) => ctx.clock.advance(ms),
        get store() {
          return ctx.store as S;
        },
        freshStore: () => ctx.freshStore() as Promise<S>,
        inspector: () => (options.inspect ? ctx.inspector() : Promise.resolve(undefined)),
      };
      describe(`${options.name}-specific`, () => options.additionalTests?.(extra));
    }

    if (Object.keys(options.knownIssues ?? {}).length > 0) {
      // Nested describes are collected after this callback returns: check once tests run.
      it('knownIssues names only tests that exist', () => {
        const unused = state.unusedKnownIssues();
        if (unused.length > 0) {
          throw new Error(
            `knownIssues entries match no test (titles changed?): ${unused.map((key) => JSON.stringify(key)).join(', ')}`,
          );
        }
      });
    }
  });
}
