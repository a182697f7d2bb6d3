import diagnosticsChannel from 'node:diagnostics_channel';
import {
  assertValidRecord,
  CorruptDataError,
  RecordTooLargeError,
  type SessionRecord,
  type SessionUpdate,
} from '@hallpass/core';
import type { StandardStoreOptions } from '../../src/index.js';
import { ReferenceStore } from '../support/reference-store.js';
import { configuring, type Mutant } from './mutant.js';

const corruptData = diagnosticsChannel.channel('hallpass:store:corrupt-data');
/** The stores of the "runs its cleanup once" mutant that have scheduled their one sweep. */
const SCHEDULED = new WeakSet<ReferenceStore>();
const LIMIT = 'standard options: maxDataBytes';
const CHECKS = 'standard options: checks and defaults';
const TIMER = 'standard options: background cleanup';
const CORRUPT = 'standard options: onCorruptData';

/** The report of a skipped corrupt session, published on the channel as every store must. */
function published(id: string) {
  const event = { store: 'reference', id, error: new CorruptDataError(`reference ${id}`) };
  if (corruptData.hasSubscribers) corruptData.publish(event);
  return event;
}

/**
 * One-bug stores for the standard options (describeStore's `configure`): the ways a store
 * written without the kit, or a kit that regresses, gets its options wrong.
 */
export const OPTION_MUTANTS: Mutant[] = [
  configuring(
    'ignores maxDataBytes',
    class extends ReferenceStore {
      constructor({ maxDataBytes: _, ...options }: StandardStoreOptions = {}) {
        super(options);
      }
    },
    [`${LIMIT} > create over maxDataBytes`, `${LIMIT} > update over maxDataBytes`],
  ),
  configuring(
    'checks maxDataBytes on create only',
    class extends ReferenceStore {
      override checkRecord(record: SessionRecord | SessionUpdate): void {
        if ('createdAt' in record) super.checkRecord(record);
        else assertValidRecord(record);
      }
    },
    [`${LIMIT} > update over maxDataBytes`],
  ),
  configuring(
    'counts the whole backing buffer of a view against maxDataBytes',
    class extends ReferenceStore {
      override checkRecord(record: SessionRecord | SessionUpdate): void {
        const size = record.data.buffer.byteLength;
        if (this.maxDataBytes !== undefined && size > this.maxDataBytes) {
          throw new RecordTooLargeError(size, this.maxDataBytes);
        }
        super.checkRecord(record);
      }
    },
    [`${LIMIT} > create over maxDataBytes`],
  ),
  configuring(
    // (A default clock behind real time, 0 or seconds, would make the reference keep expired
    // sessions; its "native" expiry, on real time, removes them all the same.)
    'reads microseconds when no clock is given (every session reads as expired)',
    class extends ReferenceStore {
      constructor(options: StandardStoreOptions = {}) {
        super({ ...options, clock: options.clock ?? (() => Date.now() * 1000) });
      }
    },
    [`${CHECKS} > without a clock option`],
  ),
  configuring(
    'takes a clock that is not a function for no clock',
    class extends ReferenceStore {
      constructor(options: StandardStoreOptions = {}) {
        super({
          ...options,
          clock: typeof options.clock === 'function' ? options.clock : undefined,
        });
      }
    },
    [`${CHECKS} > a clock that is not a function`],
  ),
  configuring(
    'takes a cleanupBatchSize that is not a positive integer for the default',
    class extends ReferenceStore {
      constructor(options: StandardStoreOptions = {}) {
        const size = options.cleanupBatchSize;
        const valid = Number.isSafeInteger(size) && (size as number) >= 1;
        super({ ...options, cleanupBatchSize: valid ? size : undefined });
      }
    },
    [`${CHECKS} > a cleanupBatchSize`],
  ),
  configuring(
    'takes a cleanupIntervalMs that is not a positive number for 0 (no cleanup)',
    class extends ReferenceStore {
      constructor(options: StandardStoreOptions = {}) {
        const interval = options.cleanupIntervalMs;
        const valid = typeof interval === 'number' && Number.isFinite(interval) && interval > 0;
        super({ ...options, cleanupIntervalMs: valid ? interval : 0 });
      }
    },
    [`${CHECKS} > a cleanupIntervalMs`],
  ),
  configuring(
    'never starts its background cleanup',
    class extends ReferenceStore {
      override cleanupRuns(): boolean {
        return false;
      }
    },
    [`${TIMER} > with a short cleanupIntervalMs`],
  ),
  configuring(
    'runs its background cleanup once, not on every interval',
    class extends ReferenceStore {
      override scheduleCleanup(intervalMs: number): void {
        // Not a field: the constructor schedules before a subclass's fields are set.
        if (SCHEDULED.has(this)) return;
        SCHEDULED.add(this);
        super.scheduleCleanup(intervalMs);
      }
    },
    [`${TIMER} > with a short cleanupIntervalMs`],
  ),
  configuring(
    'judges expiry in its background cleanup by real time, not by its clock',
    class extends ReferenceStore {
      override async sweep(): Promise<void> {
        for (const [key, row] of [...this.rows]) {
          if (row.expiresAt <= Date.now()) this.remove(key.slice(2));
        }
      }
    },
    [`${TIMER} > with a short cleanupIntervalMs`],
  ),
  configuring(
    'takes cleanupIntervalMs 0 for "sweep without pause"',
    class extends ReferenceStore {
      override cleanupRuns(intervalMs: number): boolean {
        return intervalMs >= 0;
      }
    },
    [`${TIMER} > cleanupIntervalMs 0`],
  ),
  configuring(
    'hands setTimeout an interval beyond its range (Node then fires after 1 ms)',
    class extends ReferenceStore {
      override cleanupDelay(intervalMs: number): number {
        return intervalMs;
      }
    },
    [`${TIMER} > a cleanupIntervalMs beyond`],
  ),
  configuring(
    'does not stop its background cleanup on close (the next sweep fails on the closed store)',
    class extends ReferenceStore {
      override stopCleanup(): void {}
    },
    [`${TIMER} > close() stops the background cleanup`],
  ),
  configuring(
    'stops sweeping on close but leaves the cleanup timer scheduled',
    class extends ReferenceStore {
      stopped = false;
      override stopCleanup(): void {
        this.stopped = true;
      }
      override async sweep(): Promise<void> {
        if (!this.stopped) await super.sweep();
      }
    },
    [`${TIMER} > the cleanup timer the store starts`],
  ),
  configuring(
    "leaves its cleanup timer ref'd (an open store keeps the process alive)",
    class extends ReferenceStore {
      override scheduleCleanup(intervalMs: number): void {
        super.scheduleCleanup(intervalMs);
        this.timer?.ref();
      }
    },
    [`${TIMER} > the cleanup timer the store starts`],
  ),
  configuring(
    'publishes a skipped corrupt session on the channel but never calls onCorruptData',
    class extends ReferenceStore {
      override reportCorrupt(id: string): void {
        published(id);
      }
    },
    [`${CORRUPT} > a listing that skips a corrupt session`],
  ),
  configuring(
    'lets a throwing onCorruptData fail the listing',
    class extends ReferenceStore {
      override reportCorrupt(id: string): void {
        this.onCorruptData?.(published(id));
      }
    },
    [`${CORRUPT} > an onCorruptData that throws`],
  ),
  configuring(
    'is silent about a skipped corrupt session without onCorruptData',
    class extends ReferenceStore {
      override reportCorrupt(id: string): void {
        const event = published(id);
        try {
          this.onCorruptData?.(event);
        } catch {
          // A throwing listener fails nothing, as the kit's; only the default warning is gone.
        }
      }
    },
    [`${CORRUPT} > without onCorruptData`],
  ),
];
