import { type LegacyReader, type LegacyRecord, parseLegacySession } from './reader.js';

/** The collection methods the reader needs, from the official driver's `Collection`. */
export interface LegacyMongoCollection {
  findOne(filter: { _id: string }): Promise<unknown>;
  findOneAndDelete(filter: { _id: string }): Promise<unknown>;
}

export interface ConnectMongoReaderOptions {
  /** connect-mongo's collection: `client.db(dbName).collection('sessions')`. */
  collection: LegacyMongoCollection;
}

/**
 * Sessions stored by connect-mongo: a document { _id: sid, session, expires }. `session` is
 * JSON text with connect-mongo's default `stringify: true`, an object with `stringify: false`;
 * both are read. Encrypted sessions (`crypto`) are not supported.
 */
export function connectMongoReader(options: ConnectMongoReaderOptions): LegacyReader {
  const { collection } = options;
  return {
    async take(sid) {
      return toRecord(unwrap(await collection.findOneAndDelete({ _id: sid })));
    },
    async read(sid) {
      return toRecord(await collection.findOne({ _id: sid }));
    },
  };
}

/** Drivers before 6 answer findOneAndDelete with { value, ok }; 6 and later with the document. */
function unwrap(result: unknown): unknown {
  if (result && typeof result === 'object' && 'ok' in result && 'value' in result) {
    return (result as { value: unknown }).value;
  }
  return result;
}

function toRecord(doc: unknown): LegacyRecord | null {
  if (!doc || typeof doc !== 'object') return null;
  const { session: raw, expires } = doc as { session?: unknown; expires?: unknown };
  const session = parseLegacySession(raw);
  if (!session) return null;
  // connect-mongo's own rule: a session is live while `expires` is missing or in the future.
  const expired = expires instanceof Date && expires.getTime() <= Date.now();
  return { session, expired };
}
