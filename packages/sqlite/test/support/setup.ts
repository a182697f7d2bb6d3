import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DescribeStoreOptions } from '@hallpass/conformance';
import Database from 'better-sqlite3';
import { beforeAll } from 'vitest';
import { SqliteStore } from '../../src/index.js';
import { tableInspector } from './inspector.js';

/** Where this run's stores keep their sessions. */
export interface SqlitePaths {
  /** This run's own folder. */
  dir: string;
  /** The database file the conformance stores share. */
  filename: string;
  /** A file of garbage bytes where a database should be: every statement on it fails. */
  broken: string;
}

/**
 * The SQLite store's conformance setup, the one place it is written: this package's
 * conformance test adds its store-specific tests to it, and the conformance suite's mutation
 * run (conformance/mutation/sqlite.conformance.ts) its smaller scale. Call it at the top level
 * of a test file: it registers the beforeAll that makes the run's folder.
 *
 * A real file (WAL, busy timeout: what the store does for files), in a folder of this run, made
 * in beforeAll so a run that selects no test here leaves nothing behind.
 */
export function sqliteConformance(): {
  options: DescribeStoreOptions<SqliteStore>;
  paths: SqlitePaths;
} {
  const paths: SqlitePaths = { dir: '', filename: '', broken: '' };
  let inspectorDb: Database.Database | undefined;
  const brokenDbs: Database.Database[] = [];

  beforeAll(() => {
    paths.dir = mkdtempSync(join(tmpdir(), 'hallpass-sqlite-'));
    paths.filename = join(paths.dir, 'data', 'sessions.db');
    paths.broken = join(paths.dir, 'not-a-database.db');
    writeFileSync(paths.broken, Buffer.alloc(8192, 7));
  });

  const options: DescribeStoreOptions<SqliteStore> = {
    name: 'sqlite',
    factory: ({ clock }) => new SqliteStore({ filename: paths.filename, clock }),
    // The kit's standard options, as a user passes them, on the same file.
    configure: (options) => new SqliteStore({ filename: paths.filename, ...options }),
    inspect: (store) => {
      inspectorDb ??= new Database(paths.filename);
      return tableInspector(inspectorDb, store.tableName);
    },
    // SQLite has no server to stop: the backend "down" is a database file that cannot be read
    // (garbage bytes, as a failing disk returns), so every statement fails with the driver's
    // SQLITE_NOTADB. Given as a Database without ensureSchema: opening it by filename already
    // fails in the constructor (a test of its own in specific.ts).
    unavailable: {
      factory: ({ clock }) => {
        const database = new Database(paths.broken);
        brokenDbs.push(database);
        return new SqliteStore({ database, ensureSchema: false, clock });
      },
    },
    cleanup: () => {
      for (const database of brokenDbs.splice(0)) database.close();
      inspectorDb?.close();
      inspectorDb = undefined;
      if (paths.dir) rmSync(paths.dir, { recursive: true, force: true });
    },
    expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
    // The store's cleanup timer is the only thing that removes rows: run it often here.
    backendExpiry: {
      withinMs: 1_000,
      factory: ({ clock }) =>
        new SqliteStore({ filename: paths.filename, clock, cleanupIntervalMs: 100 }),
    },
  };
  return { options, paths };
}
