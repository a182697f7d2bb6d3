import { StoreUnavailableError, throwIfAborted } from '../errors.js';

/**
 * Open, then closed for good: the one close rule of every store, and of the wrappers around
 * stores (which have no rows for BaseStore to manage). `close` runs the release once, however
 * often and however concurrently it is called; every call that starts after it is refused.
 */
export class StoreLifecycle {
  readonly #name: string;
  #closing: Promise<void> | undefined;

  /** `name` starts the messages: 'redis', 'cached'. */
  constructor(name: string) {
    this.#name = name;
  }

  /** Whether close() has been called. */
  // Stryker disable next-line all: not reached by the stores of this run: kit API for a wrapper's own use, which none of them reads (core store-kit tests)
  get closed(): boolean {
    // Stryker disable next-line all: as the line above
    return this.#closing !== undefined;
  }

  /** Refuses a call whose signal has fired (StoreAbortedError) or that starts after close(). */
  enter(operation: string, signal: AbortSignal | undefined): void {
    throwIfAborted(signal);
    if (this.#closing) {
      throw new StoreUnavailableError(`${this.#name} ${operation}: the store is closed`);
    }
  }

  /** Runs `release` on the first call; every call returns its promise. */
  close(release: () => Promise<void>): Promise<void> {
    this.#closing ??= release();
    return this.#closing;
  }
}
