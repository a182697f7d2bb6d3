/**
 * Server-side cursors for find/aggregate/listIndexes results larger than one batch. A cursor
 * holds the snapshot of matching documents taken when it was opened (see collection.ts).
 */
import { type Document, Long } from 'bson';

interface OpenCursor {
  namespace: string;
  remaining: Document[];
}

/** What mongod returns for a first batch when the driver does not ask for a size. */
export const DEFAULT_FIRST_BATCH = 101;

export class Cursors {
  readonly #open = new Map<number, OpenCursor>();
  #nextId = 1;

  /** The `cursor` field of a reply: the first batch, and an id if more remain. */
  open(namespace: string, documents: Document[], batchSize: number | undefined): Document {
    const size = batchSize && batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const firstBatch = documents.slice(0, size);
    let id = 0;
    if (documents.length > size) {
      id = this.#nextId++;
      this.#open.set(id, { namespace, remaining: documents.slice(size) });
    }
    return { firstBatch, id: Long.fromNumber(id), ns: namespace };
  }

  /** The next batch, or undefined when the cursor does not exist (mongod's CursorNotFound). */
  next(id: number, batchSize: number | undefined): Document | undefined {
    const cursor = this.#open.get(id);
    if (!cursor) return undefined;
    const size = batchSize && batchSize > 0 ? batchSize : cursor.remaining.length;
    const nextBatch = cursor.remaining.splice(0, size);
    const exhausted = cursor.remaining.length === 0;
    if (exhausted) this.#open.delete(id);
    return { nextBatch, id: Long.fromNumber(exhausted ? 0 : id), ns: cursor.namespace };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.#open.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  clear(): void {
    this.#open.clear();
  }
}
