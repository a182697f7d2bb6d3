/**
 * @hallpass/conformance: the shared vitest suite every hallpass session store runs.
 *
 * ```ts
 * import { describeStore } from '@hallpass/conformance';
 * describeStore({ name: 'my-store', factory: ({ clock }) => new MyStore({ clock }) });
 * ```
 *
 * docs/store-contract.md lists every rule and the tests that check it.
 */
export { type ControlledClock, controlledClock } from './clock.js';
export { describeStore } from './describe-store.js';
export {
  allByteValues,
  collect,
  makeRecord,
  makeUpdate,
  mapInBatches,
  randomData,
  randomId,
  randomUserId,
  sleep,
  waitUntil,
} from './fixtures.js';
export { CookieJar, type SetCookie, sessionSetCookie } from './integration/cookie-jar.js';
export {
  describeHttpScenarios,
  type ScenarioServer,
  type StartServer,
} from './integration/http-scenarios.js';
export {
  type CrashableServer,
  expectServerOutageRecovery,
  type OutageStore,
  type ServerOutageOptions,
} from './integration/server-outage.js';
export { type SwitchableStore, switchable } from './integration/switchable-store.js';
export type {
  BackendExpiryOptions,
  Capability,
  ConformanceScale,
  ConformanceTiming,
  DescribeStoreOptions,
  RawEntry,
  RawInspector,
  StandardStoreOptions,
  StoreFactoryContext,
  StoreTestContext,
  UnavailableBackendOptions,
} from './types.js';
