/**
 * A primitive's answer: a value, or a promise of one. Stores over in-process backends (a Map,
 * better-sqlite3) answer at once; making them build a promise per call only to have the kit
 * await it cost a measurable share of a read (see bench/ANALYSIS.md).
 */
export type Awaitable<T> = T | PromiseLike<T>;

/** Whether `value` is a promise or another thenable (a driver's own promise class). */
export function isPromiseLike<T>(value: Awaitable<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/** `map` applied to the answer: at once for a value, when it settles for a promise. */
export function mapAwaitable<T, U>(value: Awaitable<T>, map: (value: T) => U): Awaitable<U> {
  return isPromiseLike(value) ? value.then(map) : map(value);
}
