import type { SessionRecord } from '../../src/store.js';

/** The instant the store-kit tests' clocks start at. */
export const NOW = Date.UTC(2030, 0, 1);

/** A valid record of user-1, live for a minute from NOW. Override any field. */
export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    data: new Uint8Array([1, 2, 3]),
    expiresAt: NOW + 60_000,
    userId: 'user-1',
    createdAt: NOW,
    lastSeenAt: NOW,
    ...overrides,
  };
}
