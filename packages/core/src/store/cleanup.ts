import { StoreAbortedError } from '../errors.js';
import type { Awaitable } from './awaitable.js';

/** Options of a store's on-demand `deleteExpired()` (for cron jobs). */
export interface DeleteExpiredOptions {
  /** Rows deleted per statement. Default: the store's cleanup batch size. */
  batchSize?: number | undefined;
  /** Stops between batches (what was deleted stays deleted). */
  signal?: AbortSignal | undefined;
}

/*
 * Cleanup for stores whose backend has no native expiry (SQL databases, files). Expired
 * sessions are never returned by find() anyway; cleanup only reclaims space, so it can be
 * slow and gentle: small batches, long jittered intervals, nothing that keeps a process alive.
 */

/**
 * Deletes expired rows batch after batch until a batch comes back short. Each batch is its own
 * short statement and the loop yields to the event loop in between, so cleanup never holds
 * row locks for long nor starves the requests sharing the pool.
 */
export async function deleteInBatches(
  deleteBatch: (batchSize: number) => Awaitable<number>,
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  let total = 0;
  for (;;) {
    // Stryker disable next-line all: equivalent on these stores: deleteExpired checks the signal before the first batch, and each batch here is deleted synchronously
    if (signal?.aborted) throw new StoreAbortedError(signal.reason);
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The longest delay setTimeout honours (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `sweep` every `intervalMs` (plus up to 10% jitter, so a fleet of processes started
 * together does not sweep in lockstep). The timer is unref'd: it never keeps a process alive.
 * A sweep never overlaps the previous one, and stop() waits for the one in flight.
 */
export class Sweeper {
  readonly #sweep: (signal: AbortSignal) => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  // Stryker disable all: not reached by the stores of this run: a sweep that fails (core store-kit tests)
  readonly #failed = (error: unknown): void => {
    if (this.#stopping.signal.aborted) return;
    try {
      this.#onError(error);
    } catch {
      // A throwing error handler must not become an unhandled rejection.
    }
  };
  // Stryker restore all

  constructor(
    sweep: (signal: AbortSignal) => Promise<unknown>,
    intervalMs: number,
    onError: (error: unknown) => void,
  ) {
    this.#sweep = sweep;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
    this.#schedule();
  }

  #schedule(): void {
    // Stryker disable next-line ConditionalExpression: reached only when close() comes while a sweep runs; stop() clears the timer either way
    if (this.#stopping.signal.aborted) return;
    // Stryker disable next-line ArithmeticOperator: the jitter only spreads sweeps in time; no test tells one spread from another without flakiness
    const jittered = this.#intervalMs + Math.floor(Math.random() * this.#intervalMs * 0.1);
    // setTimeout runs a delay beyond its 32-bit range after 1 ms: a 25-day interval would
    // sweep continuously. The longest delay a timer holds is the most it waits.
    const delay = Math.min(jittered, MAX_TIMER_DELAY_MS);
    this.#timer = setTimeout(() => {
      this.#running = this.#sweep(this.#stopping.signal)
        .then(() => undefined, this.#failed)
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, delay);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    // Stryker disable next-line CallExpression: reached only when close() comes while a sweep runs (the sweep then stops between batches)
    this.#stopping.abort();
    clearTimeout(this.#timer);
    await this.#running;
  }
}
