import { sleep } from './fixtures.js';

/**
 * The clock a conformance test runs on. Controlled (the default): real time plus whatever the
 * test has advanced, so moving past an expiry costs nothing, and the clock never runs behind
 * real time (a backend that evicts by its own clock, like Redis PXAT or a MongoDB TTL index,
 * never removes a session the clock still calls live). Real (`clock: 'real'` in describeStore,
 * for a store that cannot take a clock): advancing sleeps.
 */
export interface SuiteClock {
  /** Epoch milliseconds. The store and the SessionManager under test read this. */
  readonly now: () => number;
  /** Whether advancing moves the clock (true) or sleeps (false). */
  readonly controlled: boolean;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): Promise<void>;
  /** Moves the clock until it reads later than `epochMs` (the instant itself still counts as live for nothing). */
  passInstant(epochMs: number): Promise<void>;
  /**
   * Holds a controlled clock at exactly `epochMs` until it is moved again, so a test can read
   * the store at an exact instant (an expiry boundary) or write several sessions in one
   * millisecond. Never behind real time: `epochMs` must not be earlier than the clock reads now.
   * Throws on the real clock.
   */
  pin(epochMs: number): void;
  /** Back to real time, before each test: records of a test never meet another test's offset. */
  reset(): void;
}

/** A clock a test moves by hand: call it for epoch milliseconds, `advance` to move it. */
export interface ControlledClock {
  (): number;
  /** Moves the clock `ms` forward (a negative `ms` is ignored: it never goes back). */
  advance(ms: number): void;
}

/**
 * Real time plus everything the test has advanced: it only moves forward and never runs behind
 * real time, so a backend that expires entries by its own clock (Redis PXAT, a MongoDB TTL
 * index) never removes a session this clock still calls live. Give it to the store and the
 * SessionManager as their `clock`.
 */
export function controlledClock(): ControlledClock {
  let offset = 0;
  const clock = () => Date.now() + offset;
  clock.advance = (ms: number) => {
    offset += Math.max(0, ms);
  };
  return clock;
}

export function createSuiteClock(controlled: boolean): SuiteClock {
  let clock = controlledClock();
  let pinned: number | undefined;
  const now = controlled ? () => pinned ?? clock() : Date.now;
  const unpin = () => {
    if (pinned !== undefined) clock.advance(pinned - clock());
    pinned = undefined;
  };
  const passInstant = async (epochMs: number) => {
    if (controlled) {
      const from = now();
      unpin();
      clock.advance(Math.max(epochMs + 1, from) - clock());
      return;
    }
    for (let left = epochMs - Date.now(); left >= 0; left = epochMs - Date.now()) {
      await sleep(left + 1);
    }
  };
  return {
    now,
    controlled,
    advance: (ms) => passInstant(now() + Math.max(0, ms) - 1),
    passInstant,
    pin(epochMs) {
      if (!controlled) throw new Error('only the controlled clock can be pinned');
      if (!Number.isFinite(epochMs) || epochMs < now()) {
        throw new Error(`cannot pin the clock at ${epochMs}: it reads ${now()} already`);
      }
      pinned = epochMs;
    },
    reset() {
      clock = controlledClock();
      pinned = undefined;
    },
  };
}
