import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
