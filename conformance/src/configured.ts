import { ConfigurationError, type Store } from '@hallpass/core';
import type { StandardStoreOptions } from '@hallpass/core/store';
import { expect } from 'vitest';
import type { SuiteContext } from './context.js';
import type { RawInspector } from './types.js';

/**
 * A store from describeStore's `configure` with `options`, on the suite's clock unless
 * `withoutClock`, closed after the test. Only inside tests declaring `configure`.
 */
export async function configuredStore(
  ctx: SuiteContext,
  options: StandardStoreOptions,
  { withoutClock = false } = {},
): Promise<Store> {
  const { configure } = ctx.options;
  if (!configure) throw new Error('no configure option was given to describeStore');
  const given = withoutClock ? options : { clock: ctx.clock.now, ...options };
  const store = await configure(given, { clock: ctx.clock.now });
  ctx.closeAfterTest(store);
  return store;
}

/** The inspector of a configured store, or undefined without an `inspect` option. */
export async function inspectorOf(
  ctx: SuiteContext,
  store: Store,
): Promise<RawInspector | undefined> {
  return ctx.options.inspect ? ctx.options.inspect(store) : undefined;
}

/** Asserts `configure` refuses `options` with a ConfigurationError (thrown or rejected). */
export async function expectConfigurationError(
  ctx: SuiteContext,
  options: StandardStoreOptions,
  what: string,
  /** The option the error's message must name, so a deployment's log says what to fix. */
  option?: string,
): Promise<void> {
  let outcome: { store: Store } | { error: unknown };
  try {
    outcome = { store: await configuredStore(ctx, options) };
  } catch (error) {
    outcome = { error };
  }
  if ('store' in outcome) {
    throw new Error(
      `${what}: expected ConfigurationError at construction, but the store was built`,
    );
  }
  const { error } = outcome;
  const name = error instanceof Error ? error.name : typeof error;
  expect(error, `${what}: expected ConfigurationError, got ${name}`).toBeInstanceOf(
    ConfigurationError,
  );
  if (option !== undefined) {
    expect((error as Error).message, `${what}: the message names the option`).toContain(option);
  }
}
