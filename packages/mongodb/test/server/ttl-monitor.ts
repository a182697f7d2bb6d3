/**
 * TTL deletion like mongod's TTL monitor: a periodic pass (mongod: every 60 s) deletes
 * documents whose indexed date plus `expireAfterSeconds` is past. Between passes expired
 * documents are still there, which is why a store must filter on expiry when it reads.
 */
import type { Catalog } from './catalog.js';
import { readPath } from './keys.js';

/** Deletes every expired document now; returns how many. */
export function sweepExpired(catalog: Catalog, now = Date.now()): number {
  let removed = 0;
  for (const collection of catalog.allCollections()) {
    const ttlIndexes = collection.indexes.filter(
      (index) => index.spec.expireAfterSeconds !== undefined && index.fields.length === 1,
    );
    for (const index of ttlIndexes) {
      const field = index.fields[0] as string;
      const lifetimeMs = (index.spec.expireAfterSeconds as number) * 1000;
      for (const document of [...collection.all()]) {
        const expiry = earliestDate(readPath(document, field));
        if (expiry !== undefined && expiry + lifetimeMs <= now) {
          collection.remove(document);
          removed++;
        }
      }
    }
  }
  return removed;
}

/** mongod uses the earliest date of an array field and ignores non-date values. */
function earliestDate(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (!Array.isArray(value)) return undefined;
  const dates = value.filter((item): item is Date => item instanceof Date);
  return dates.length > 0 ? Math.min(...dates.map((date) => date.getTime())) : undefined;
}

export class TtlMonitor {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => sweepExpired(this.catalog), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
