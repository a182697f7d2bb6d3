/**
 * The indexes the store relies on. createIndexes is idempotent for identical definitions, so
 * every process can run this at start-up; a conflicting definition made by hand fails loudly.
 */
import type { Collection, IndexDescription } from 'mongodb';
import type { SessionDocument } from './documents.js';

export const SESSION_INDEXES: IndexDescription[] = [
  // TTL: mongod deletes a document once expiresAt is past (checked about once a minute, so
  // reads also filter on expiresAt).
  { key: { expiresAt: 1 }, name: 'hallpass_expiresAt_ttl', expireAfterSeconds: 0 },
  // listByUser / deleteByUser, returned oldest first.
  { key: { userId: 1, createdAt: 1 }, name: 'hallpass_userId_createdAt' },
];

export async function createSessionIndexes(collection: Collection<SessionDocument>): Promise<void> {
  await collection.createIndexes(SESSION_INDEXES);
}
