/**
 * The clients the store microbenchmark drives: a hallpass store through the Store contract, or a
 * raw driver doing the equivalent work with its own plainest calls. Records are anonymous
 * (no user id), so neither side maintains a per-user index and the work really is equivalent:
 * find = one read by id, create = insert-if-absent with expiry, update = replace data and
 * expiry of a live session, touch = extend expiry, delete = remove.
 */
export interface MicroDriver {
  find(id: string): Promise<unknown>;
  create(id: string): Promise<unknown>;
  update(id: string): Promise<unknown>;
  touch(id: string): Promise<unknown>;
  delete(id: string): Promise<unknown>;
  /**
   * Brings the backend to the same state before each operation's measurement. SQLite: an empty
   * WAL. Its automatic checkpoint otherwise lands in whichever operation's writes cross 1 000
   * pages, and charges that operation for the writes of the ones before it.
   */
  settle?(): void;
  close(): Promise<void>;
}

export type MicroOp = 'create' | 'find' | 'update' | 'touch' | 'delete';
/** The order ops run in: each works on the ids the previous one left behind. */
export const OPS: MicroOp[] = ['create', 'find', 'update', 'touch', 'delete'];

/** 200 bytes of session data, the same for every client. */
export const DATA = new Uint8Array(200).fill(120);
export const TTL_MS = 60 * 60 * 1000;
