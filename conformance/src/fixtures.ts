import { randomBytes, randomFillSync } from 'node:crypto';
import {
  generateToken,
  type SessionRecord,
  type SessionUpdate,
  type Store,
  type StoredSession,
  tokenToId,
} from '@hallpass/core';

/** A fresh session id, shaped exactly like the ones the SessionManager hands to stores. */
export function randomId(): string {
  return tokenToId(generateToken());
}

/** A fresh user id, unique per call, so tests never see each other's per-user index entries. */
export function randomUserId(): string {
  return `user-${randomBytes(9).toString('base64url')}`;
}

/** `length` random bytes (any length: getRandomValues is limited to 64 KiB, this is not). */
export function randomData(length = 32): Uint8Array {
  const bytes = new Uint8Array(length);
  randomFillSync(bytes);
  return bytes;
}

/** Every byte value once, 0x00 to 0xff: catches stores that go through a text encoding. */
export function allByteValues(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** UTF-8 bytes of `text`, for data the test wants to read back as text. */
export function textData(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function dataText(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

const HOUR = 3_600_000;

/**
 * A valid record: live for an hour, anonymous, with distinct integer timestamps so a store that
 * swaps or drops a field is caught. Override any field.
 */
export function makeRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    data: randomData(),
    expiresAt: now + HOUR,
    userId: null,
    createdAt: now - 5_000,
    lastSeenAt: now - 1_000,
    ...overrides,
  };
}

/**
 * Two sessions side by side (of `userId`, or anonymous when it is null), the first damaged with
 * `corrupt` (the inspector's), for `body` to list; the damaged one is deleted afterwards, since
 * a listing that skips it leaves it stored.
 */
export async function withCorruptNeighbour<T>(
  store: Store,
  corrupt: (id: string) => Promise<void>,
  userId: string | null,
  body: (ids: { id: string; healthy: string }) => Promise<T>,
): Promise<T> {
  const [id, healthy] = [randomId(), randomId()];
  await store.create(id, makeRecord({ userId }));
  await store.create(healthy, makeRecord({ userId }));
  await corrupt(id);
  try {
    return await body({ id, healthy });
  } finally {
    await store.delete(id);
  }
}

/** A valid update for a live session: new data, later expiry and last-seen time. */
export function makeUpdate(overrides: Partial<SessionUpdate> = {}): SessionUpdate {
  const now = Date.now();
  return {
    data: randomData(),
    expiresAt: now + 2 * HOUR,
    userId: null,
    lastSeenAt: now,
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Resolves once the wall clock has passed `epochMs` (real time, never fake timers). */
export async function waitUntil(epochMs: number): Promise<void> {
  for (let left = epochMs - Date.now(); left >= 0; left = epochMs - Date.now()) {
    await sleep(left + 1);
  }
}

/** Every item of an async iterable, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Runs `task` over `items` with at most `parallel` calls in flight; results keep input order. */
export async function mapInBatches<T, R>(
  items: readonly T[],
  parallel: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

/** Whether two byte arrays hold the same bytes (and a readable reason when not). */
export function bytesDiff(actual: unknown, expected: Uint8Array): string | null {
  if (!(actual instanceof Uint8Array)) {
    return `expected a Uint8Array, got ${Object.prototype.toString.call(actual)}`;
  }
  if (actual.byteLength !== expected.byteLength) {
    return `expected ${expected.byteLength} bytes, got ${actual.byteLength}`;
  }
  for (let i = 0; i < expected.byteLength; i++) {
    if (actual[i] !== expected[i]) {
      return `byte ${i} differs: expected 0x${(expected[i] as number).toString(16)}, got 0x${(actual[i] as number).toString(16)}`;
    }
  }
  return null;
}

/** The shape problems of a value a store returned as a session, or null if it is well formed. */
export function sessionShapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const session = value as Partial<StoredSession>;
  if (typeof session.id !== 'string') return 'id is not a string';
  if (!(session.data instanceof Uint8Array)) return 'data is not a Uint8Array';
  for (const field of ['expiresAt', 'createdAt', 'lastSeenAt', 'version'] as const) {
    if (typeof session[field] !== 'number' || !Number.isFinite(session[field])) {
      return `${field} is not a finite number`;
    }
  }
  if (session.userId !== null && typeof session.userId !== 'string') {
    return 'userId is neither a string nor null';
  }
  return null;
}
