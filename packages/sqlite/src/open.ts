import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigurationError } from '@hallpass/core/store';
import Database from 'better-sqlite3';

/** Where the store's database comes from: the SqliteStore options of that name. */
export interface ConnectionOptions {
  filename?: string | undefined;
  database?: Database.Database | undefined;
  busyTimeoutMs?: number | undefined;
}

/** The store's database, not yet opened: `open` runs once the store exists to report failures. */
export interface Connection {
  /** True when the store opened the database, and so closes it. */
  owned: boolean;
  open(): Database.Database;
}

/** Checks the options now (a ConfigurationError); opening waits for `open()`. */
export function connection(options: ConnectionOptions): Connection {
  const { filename, database } = options;
  if ((filename === undefined) === (database === undefined)) {
    throw new ConfigurationError('pass exactly one of `filename` and `database`');
  }
  if (database !== undefined) return { owned: false, open: () => database };
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  return { owned: true, open: () => openDatabase(filename as string, busyTimeoutMs) };
}

/**
 * Opens a database the store owns. File databases get WAL (readers never wait for the writer),
 * synchronous=NORMAL (durable across application crashes; the last commits may roll back on a
 * power loss, which costs a session, not integrity) and a busy timeout for other processes.
 */
export function openDatabase(filename: string, busyTimeoutMs: number): Database.Database {
  const inMemory = filename === ':memory:' || filename === '';
  if (!inMemory) mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename, { timeout: busyTimeoutMs });
  if (inMemory) return db;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
