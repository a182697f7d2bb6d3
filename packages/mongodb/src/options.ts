import type { CommonStoreOptions } from '@hallpass/core/store';
import type { Db, MongoClient, MongoClientOptions } from 'mongodb';

/**
 * Where the sessions live. Give exactly one of `client`, `db` or `url`. A client or Db you
 * pass in stays yours: the store never closes it. A client the store builds from `url` is
 * closed by `store.close()`.
 */
export interface MongoStoreOptions extends CommonStoreOptions {
  /** A MongoClient of the application; connected or not (the driver connects on first use). */
  client?: MongoClient | undefined;
  /** A Db handle of the application. */
  db?: Db | undefined;
  /** A connection string; the store creates (and later closes) its own MongoClient. */
  url?: string | undefined;
  /** Extra options for the client created from `url`; they override the store's defaults. */
  clientOptions?: MongoClientOptions | undefined;
  /**
   * Database for `client` or `url`. Default: the client's default database, the one named in the
   * connection string (the driver falls back to `test` when it names none).
   */
  databaseName?: string | undefined;
  /** Collection holding the sessions. Default `sessions`. */
  collectionName?: string | undefined;
  /** Create the TTL and user indexes before the first operation. Default true. */
  ensureIndexes?: boolean | undefined;
  /**
   * Largest accepted session data in bytes; larger writes throw RecordTooLargeError before
   * anything is sent. Default 15 MiB, below MongoDB's 16 MiB document limit.
   */
  maxDataBytes?: number | undefined;
  /**
   * @deprecated Use `onCorruptData`, called with `{ store, id, error }` (`error.message` says
   * what `reason` said).
   */
  onCorrupt?: ((report: CorruptReport) => void) | undefined;
  /**
   * The clock every expiry decision reads (in each query's filter), in epoch milliseconds.
   * Default `Date.now`. The TTL index still deletes documents by the server's own clock once
   * `expiresAt` has passed, so a controllable clock must never run behind real time.
   */
  clock?: (() => number) | undefined;
}

/** @deprecated The argument of the deprecated `onCorrupt`. */
export interface CorruptReport {
  /** The document's `_id`. */
  id: string;
  /** What is wrong with it. */
  reason: string;
}

/** Bounded waits for clients built from a URL, so a down server fails calls within seconds. */
export const URL_CLIENT_DEFAULTS: MongoClientOptions = {
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  socketTimeoutMS: 10_000,
};

export const DEFAULT_MAX_DATA_BYTES = 15 * 1024 * 1024;
export const DEFAULT_COLLECTION = 'sessions';
