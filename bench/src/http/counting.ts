/**
 * Counts calls to a store's methods by wrapping them on the instance, inside the server
 * child, so "store writes per request" is measured rather than assumed. The same wrapper
 * serves hallpass stores and express-session stores (callbacks pass through untouched).
 */
export interface CallCounts {
  reads: number;
  writes: number;
  /** Distinct session ids written: with touch throttling, no id is touched twice in a cell. */
  written: Set<unknown>;
}

export const HALLPASS_READS = ['find'];
export const HALLPASS_WRITES = ['create', 'update', 'touch', 'delete', 'deleteByUser'];
export const EXPRESS_SESSION_READS = ['get'];
export const EXPRESS_SESSION_WRITES = ['set', 'touch', 'destroy'];

export function countCalls(
  store: object,
  counts: CallCounts,
  reads: string[],
  writes: string[],
): void {
  const target = store as Record<string, unknown>;
  const wrap = (name: string, field: 'reads' | 'writes') => {
    const original = target[name];
    if (typeof original !== 'function') return;
    target[name] = function counted(this: unknown, ...args: unknown[]) {
      counts[field]++;
      if (field === 'writes') counts.written.add(args[0]);
      return original.apply(this, args);
    };
  };
  for (const name of reads) wrap(name, 'reads');
  for (const name of writes) wrap(name, 'writes');
}
