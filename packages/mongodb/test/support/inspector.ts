import type { RawEntry, RawInspector } from '@hallpass/conformance';
import { EJSON } from 'bson';
import type { Collection } from 'mongodb';
import type { SessionDocument } from '../../src/index.js';

/** Data larger than this is shown by size only: the suite searches raw text for short tokens. */
const SHOWN_DATA_BYTES = 64 * 1024;

/**
 * Raw access to the sessions collection for the conformance suite: every document, as Extended
 * JSON with its bytes shown as latin1 text, and the date the TTL index deletes it at.
 */
export function collectionInspector(collection: Collection<SessionDocument>): RawInspector {
  return {
    nativeExpiry: true,
    async entries(): Promise<RawEntry[]> {
      const documents = await collection.find({}).toArray();
      return documents.map((document) => {
        const { data, ...rest } = document as Partial<SessionDocument> & { _id: unknown };
        const bytes = data?.buffer;
        const shown =
          bytes instanceof Uint8Array
            ? bytes.length <= SHOWN_DATA_BYTES
              ? Buffer.from(bytes).toString('latin1')
              : `${bytes.length} bytes`
            : data;
        const expiresAt = document.expiresAt instanceof Date ? document.expiresAt.getTime() : null;
        return {
          key: String(document._id),
          raw: EJSON.stringify({ ...rest, data: shown }),
          expiresAt,
        };
      });
    },
    async corrupt(id: string): Promise<void> {
      // What a hand edit or another program could leave: text where bytes belong and a version
      // that is not a number. The expiry stays valid, so TTL still removes the document.
      await collection.updateOne(
        { _id: id },
        { $set: { data: 'not binary' as never, version: 'seven' as never } },
      );
    },
  };
}
