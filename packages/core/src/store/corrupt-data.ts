import diagnosticsChannel from 'node:diagnostics_channel';
import type { CorruptDataError } from '../errors.js';

/** A stored session a listing or an iteration skipped because it cannot be read. */
export interface CorruptDataEvent {
  /** The store's name: 'memory', 'sqlite', 'postgres'... */
  store: string;
  /** The session id the unreadable entry is stored under. */
  id: string;
  error: CorruptDataError;
}

export type CorruptDataListener = (event: CorruptDataEvent) => void;

/**
 * Every store publishes the sessions it skips here too, for loggers that hold no store
 * reference. `find` does not: it rejects with the CorruptDataError, which the SessionManager
 * reports as an `error` event and a `rejected` event with reason corrupt-data.
 */
export const corruptDataChannel = diagnosticsChannel.channel('hallpass:store:corrupt-data');

/** Without an `onCorruptData` option, a skipped session is a process warning: visible, not fatal. */
function warn(event: CorruptDataEvent): void {
  process.emitWarning(event.error.message, { code: 'HALLPASS_CORRUPT_DATA' });
}

export function corruptDataReporter(
  listener: CorruptDataListener | undefined,
): CorruptDataListener {
  const report = listener ?? warn;
  return (event) => {
    // Stryker disable next-line ConditionalExpression: equivalent, publishing to a channel nobody subscribes to does nothing
    if (corruptDataChannel.hasSubscribers) corruptDataChannel.publish(event);
    try {
      report(event);
    } catch {
      // A broken logger must not fail the listing that found the corrupt entry.
    }
  };
}
