import { describe, expect, it } from 'vitest';
import { startSoakServer } from '../src/app.js';
import { settledHeapBytes } from '../src/heap.js';
import { LoadDriver } from '../src/load.js';
import { targets } from '../src/targets.js';
import { watchUnhandled } from '../src/unhandled.js';

/**
 * Many concurrent simulated users (3 devices each) sign in, read, write, renew, revoke one
 * device, sign out everywhere else and sign out, against a real HTTP server on each store,
 * while the oracle in src/load.ts checks every answer. `pnpm soak` runs the long version
 * (HALLPASS_SOAK=long, HALLPASS_SOAK_SECONDS, HALLPASS_SOAK_USERS); docs/reliability.md has
 * its numbers.
 */
const long = process.env.HALLPASS_SOAK === 'long';
const users = Number(process.env.HALLPASS_SOAK_USERS ?? (long ? 100 : 8));
const phaseMs = (Number(process.env.HALLPASS_SOAK_SECONDS ?? 120) * 1000) / 2;
const stepsPerPhase = long ? undefined : 15;

/** Heap growth allowed between two equal halves of the run: far below what a per-request leak adds. */
const HEAP_SLACK_BYTES = 32 * 1024 * 1024;

describe.each(targets)('soak over HTTP: $name', { concurrent: false }, (target) => {
  it(`${users} users x 3 devices: no acknowledged write lost, no ended session usable, nobody sees another user`, {
    timeout: long ? phaseMs * 2 + 120_000 : 90_000,
  }, async (t) => {
    const missing = await target.unavailable();
    if (missing) {
      const message = `${missing.reason}; ${missing.howToStart}`;
      if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
      t.skip(message);
    }
    const { store, dispose } = await target.open();
    const unhandled = watchUnhandled();
    const server = await startSoakServer(store);
    try {
      const driver = new LoadDriver(server.url, {
        users,
        devicesPerUser: 3,
        revocation: store.capabilities.userIndex,
      });
      const startedAt = Date.now();
      const phase = () =>
        long ? driver.run(undefined, Date.now() + phaseMs) : driver.run(stepsPerPhase);
      await phase();
      const heapAfterFirstHalf = await settledHeapBytes();
      await phase();
      await driver.verifyAll();
      const heapAfterSecondHalf = await settledHeapBytes();
      const report = driver.report(startedAt);
      console.log(
        `soak ${target.name}: ${JSON.stringify({ ...report, violations: report.violations.length, heapAfterFirstHalf, heapAfterSecondHalf })}`,
      );

      expect(report.violations, 'oracle violations').toEqual([]);
      expect(server.handlerErrors, 'errors thrown by route handlers').toEqual([]);
      expect(unhandled.errors, 'unhandled rejections / uncaught exceptions').toEqual([]);
      expect(report.retiredProbes, 'ended tokens probed').toBeGreaterThan(0);
      expect(report.ackedWrites, 'acknowledged writes').toBeGreaterThan(0);
      if (store.capabilities.iterate) {
        // Every ended session is gone from the store, not just refused: nothing piles up.
        expect(await server.manager.countSessions(), 'sessions left in the store').toBe(
          driver.signedInDevices(),
        );
      }
      expect(
        heapAfterSecondHalf - heapAfterFirstHalf,
        'heap growth over the second half',
      ).toBeLessThan(HEAP_SLACK_BYTES);
    } finally {
      unhandled.stop();
      await server.close();
      await dispose();
    }
  });
});
